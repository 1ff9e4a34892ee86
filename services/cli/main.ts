import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import packageJson from '../../package.json' with { type: 'json' };
import { helpPointer, parseCommandLine } from './args.ts';
import { type ClientAuth, FerryClient } from './client.ts';
import { commandSpec } from './command-specs.ts';
import * as commands from './commands.ts';
import { type CommandContext, type CommandOptions, UsageError } from './commands.ts';
import {
  type Connection,
  connectionHint,
  DEFAULT_API_URL,
  resolveConnection,
} from './connection.ts';
import { doctor } from './doctor-command.ts';
import { EXIT } from './exit-codes.ts';
import type { ProgressOutput } from './follow.ts';
import { functionArgument, suggestFunction } from './function-suggest.ts';
import { commandHelp, usage } from './help.ts';
import { logs } from './logs-command.ts';
import { ProblemError, problemLine } from './problem.ts';
import { readPipedStdin } from './read-file.ts';
import { abort, approve } from './release-commands.ts';
import { profileCredentials } from './shared-credentials.ts';
import { apiGatewayRegion, type RequestSigner, sigV4Signer } from './sigv4.ts';
import { tokens } from './tokens-command.ts';
import { webCommand } from './web-command.ts';

/** The process around the CLI, injectable for tests. */
export interface CliIO {
  readonly stdout: ProgressOutput;
  readonly stderr: { write(text: string): void };
  readonly env: Record<string, string | undefined>;
  readonly fetch?: typeof fetch;
  readonly readStdin?: () => string;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly pollMs?: number;
  /** The time a followed release's time left is counted from. @default - the system clock */
  readonly now?: () => Date;
  /** `ferry web` and `ferry logs --follow` run until this resolves. @default - Ctrl-C (or SIGTERM) */
  readonly untilStopped?: () => Promise<void>;
}

/**
 * `ferry local invoke` signs with local mode's generated key when it can read it
 * (`$FERRY_HOME/aws-credentials`, profile ferry-local: the person who started Ferry).
 */
function localHostSigner(env: Record<string, string | undefined>): { hostSigner?: RequestSigner } {
  const file = join(env.FERRY_HOME ?? '.ferry', 'aws-credentials');
  if (!existsSync(file)) return {};
  const credentials = profileCredentials(readFileSync(file, 'utf8'), 'ferry-local');
  return credentials ? { hostSigner: sigV4Signer('us-east-1', credentials, 'lambda') } : {};
}

/** How the CLI authenticates to `url`, from the environment. */
export function clientAuth(url: URL, env: Record<string, string | undefined>): ClientAuth {
  const region =
    apiGatewayRegion(url) ??
    (env.FERRY_AUTH === 'sigv4' ? (env.AWS_REGION ?? env.AWS_DEFAULT_REGION) : null);
  if (env.FERRY_AUTH === 'sigv4' && !region)
    throw new UsageError('FERRY_AUTH=sigv4 needs AWS_REGION');
  if (region) return { kind: 'sigv4', sign: sigV4Signer(region) };
  if (env.FERRY_TOKEN) return { kind: 'token', token: env.FERRY_TOKEN };
  return { kind: 'none' };
}

/** Runs one CLI invocation; returns the exit code (exit-codes.ts). */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  if (argv.length === 1 && ['--version', '-V', '-v'].includes(argv[0] as string)) {
    io.stdout.write(`ferry ${packageJson.version}\n`);
    return EXIT.ok;
  }
  const debug = argv.includes('--debug');
  let options: CommandOptions;
  try {
    options = parseCommandLine(argv);
  } catch (error) {
    return report(error, io, debug);
  }
  const [command, topic] = options.positionals;
  if (!command || options.values.help || command === 'help') {
    const spec = commandSpec(command === 'help' ? (topic ?? '') : (command ?? ''));
    io.stdout.write(`${spec ? commandHelp(spec) : usage()}\n`);
    return command || options.values.help ? EXIT.ok : EXIT.usage;
  }
  const connection = resolveConnection(io.env);
  try {
    return await runCommand(command, options, { ...io, env: connection.env });
  } catch (error) {
    return report(error, io, debug, command, connection);
  }
}

async function runCommand(command: string, options: CommandOptions, io: CliIO): Promise<number> {
  const url = apiUrl(io.env.FERRY_URL);
  if (command === 'web')
    return await webCommand(
      url,
      clientAuth(url, io.env),
      options.values.port as string | undefined,
      io,
    );
  const run = {
    deploy: commands.deploy,
    status: commands.status,
    approve,
    abort,
    history: commands.history,
    logs,
    rollback: commands.rollback,
    functions: commands.functions,
    rules: commands.rules,
    'slack-users': commands.slackUsers,
    tokens,
    local: commands.local,
    doctor,
  }[command];
  if (!run) throw new UsageError(`unknown command ${command}: ${helpPointer(undefined)}`);
  const ctx: CommandContext = {
    client: new FerryClient(url, clientAuth(url, io.env), io.fetch ?? fetch),
    out: io.stdout,
    readStdin: io.readStdin ?? readPipedStdin,
    ...(io.sleep ? { sleep: io.sleep } : {}),
    ...(io.pollMs !== undefined ? { pollMs: io.pollMs } : {}),
    ...(io.now ? { now: io.now } : {}),
    ...localHostSigner(io.env),
    localHome: io.env.FERRY_HOME ?? '.ferry',
    ...(io.untilStopped ? { untilStopped: io.untilStopped } : {}),
  };
  try {
    return await run(ctx, options);
  } catch (error) {
    throw await suggestFunction(error, ctx.client, functionArgument(command, options));
  }
}

/**
 * One `ferry:` line for what went wrong and its exit code: a usage mistake (2), a problem the API
 * or the network answered (1), anything else (70); with --debug the stack traces follow it.
 */
function report(
  error: unknown,
  io: CliIO,
  debug: boolean,
  command?: string,
  connection?: Connection,
): number {
  const [line, code] = describe(error, connection?.env ?? io.env, command, connection);
  const where =
    connection && error instanceof ProblemError
      ? connectionHint(connection, error.problem.status)
      : '';
  const more =
    code === EXIT.internal && !debug ? ': run it again with --debug for the stack trace' : '';
  io.stderr.write(`ferry: ${line}${where}${more}\n`);
  if (debug) io.stderr.write(`${traces(error)}\n`);
  return code;
}

function describe(
  error: unknown,
  env: CliIO['env'],
  command = '',
  connection?: Connection,
): [string, number] {
  if (error instanceof UsageError) return [error.message, EXIT.usage];
  if (error instanceof ProblemError) {
    // With cli.json or the default URL, connectionHint says where the URL and token came from.
    const fromEnv = !connection || connection.source === 'env';
    const extra = error.problem.status === 401 && !fromEnv ? '' : hint(error.problem, env, command);
    return [`${problemLine(error.problem)}${extra}`, EXIT.failed];
  }
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return [`unexpected error (${what})`, EXIT.internal];
}

/** The error's stack and each cause's after it. */
function traces(error: unknown): string {
  const stacks: string[] = [];
  for (let e = error; e !== undefined && stacks.length < 5; e = (e as Error).cause)
    stacks.push(e instanceof Error ? (e.stack ?? String(e)) : String(e));
  return stacks.join('\ncaused by: ');
}

/** FERRY_URL as a URL; a UsageError (one `ferry:` line) saying what to set when it is not one. */
function apiUrl(value: string | undefined): URL {
  const text = value ?? DEFAULT_API_URL;
  const url = URL.canParse(text) ? new URL(text) : null;
  if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return url;
  // A host without its scheme is the usual slip: local mode serves http, anything else https.
  const local = /^(localhost|127\.|\[::1\])/.test(text);
  const guess = text.includes('://') ? null : `${local ? 'http' : 'https'}://${text}`;
  const meant = guess && URL.canParse(guess) ? `did you mean ${guess}? Otherwise set it` : 'set it';
  throw new UsageError(
    `FERRY_URL "${text}" is not an http(s) URL: ${meant} to the stack's ApiUrl output (https://<id>.execute-api.<region>.amazonaws.com) or, in local mode, the URL \`npm start\` printed`,
  );
}

/**
 * What to do, where the API's detail says only what happened: an authentication failure (from
 * what the CLI sent), a refusal, an unknown deployment id, a request the API found invalid.
 */
function hint(
  problem: ProblemError['problem'],
  env: Record<string, string | undefined>,
  command: string,
): string {
  const kind = problem.type.split(':').at(-1);
  if (problem.status === 401)
    return env.FERRY_TOKEN
      ? ' (FERRY_TOKEN was refused: use the token `npm start` printed)'
      : ' (set FERRY_TOKEN, or use AWS credentials against an API Gateway FERRY_URL)';
  if (problem.status === 403 && kind === 'forbidden')
    return ': use a token of the owning team, or ask the admin team (ferry doctor shows who you act for)';
  // These commands name nothing but a deployment: their not-found is the id.
  if (problem.status === 404 && ['status', 'approve', 'abort'].includes(command))
    return ': ferry history <function> lists the deployment ids';
  if (problem.status === 400 && kind === 'validation')
    return command === 'functions'
      ? ': fix the settings (docs/settings-and-gates.md lists the keys; ferry functions get <name> shows the current ones)'
      : `: see ferry ${command} --help`;
  if (problem.status === 500 && kind === 'internal')
    return ': retry; if it persists, the API log has the error at this time';
  return '';
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type ClientAuth, FerryClient } from './client.ts';
import * as commands from './commands.ts';
import { type CommandContext, type CommandOptions, UsageError } from './commands.ts';
import { doctor } from './doctor-command.ts';
import type { ProgressOutput } from './follow.ts';
import { logs } from './logs-command.ts';
import { ProblemError, problemLine } from './problem.ts';
import { abort, approve } from './release-commands.ts';
import { profileCredentials } from './shared-credentials.ts';
import { apiGatewayRegion, type RequestSigner, sigV4Signer } from './sigv4.ts';
import { webCommand } from './web-command.ts';

/** Usage text. */
export const USAGE = `usage: ferry <command> [options]

  deploy <function> (--image REF | --source URL [--ref R] [--dockerfile P] [--context P]
                     [--build-arg NAME=VALUE]...) [--reason TEXT] [--idempotency-key K]
                     [--release NAME|JSON] [--wait]
  status <id> [--wait]                            (--wait: steps, traffic, judgements as they land)
  approve <id> [--wait]                           (a release waiting for approval: move all traffic)
  abort <id> [--wait]                             (a running deployment: roll it back)
  history <function> [--limit N] [--cursor C]
  logs <function|deployment> [--version N] [--since 10m|ISO] [--limit N] [--follow]
                                                  (what it printed; --follow: new lines until Ctrl-C)
  rollback <function> [--to ID] [--reason TEXT] [--wait]
  functions [list]                                (what is live where, for your team)
  functions get <name>
  functions put <name> [--file settings.json]     (JSON; stdin without --file)
  rules get|delete <repository>
  rules put <repository> --pattern GLOB --function NAME [--function NAME]...   (admin team)
  slack-users [list] | link <slack-user-id> <team> | unlink <slack-user-id>   (admin team)
  local create-function <name> --image REF [--timeout S] [--memory MB] [--env K=V]...
                     [--architecture x86_64|arm64] [--ephemeral-storage MB]   (local mode, admin team;
                     Lambda's defaults: 3 s, 128 MB, x86_64, 512 MB /tmp)
  local update-function-configuration <name> [--timeout S] [--memory MB] [--env K=V]...
                     [--ephemeral-storage MB]     ($LATEST; --env replaces every variable)
  local get-function <name>                       ($LATEST's configuration)
  local invoke <name> [--qualifier Q] [--payload JSON]   (local mode; default qualifier live)
  local registry-login                           (local mode: prints the registry's login command)
  web [--port N]                                  (AWS: the web page on 127.0.0.1, signed with SigV4)
  doctor [<function>]                             (what a first deployment needs: one ✓/✗ line per
                     check, each ✗ with its fix; exit 0 when all pass, 1 otherwise)
                     e.g. ferry doctor prod-orders

options: --json (machine-readable output)   --wait (follow to the end; exit 0 only on SUCCEEDED)
environment: FERRY_URL (default http://127.0.0.1:8787), FERRY_TOKEN (local mode bearer token);
  an API Gateway FERRY_URL (*.execute-api.<region>.amazonaws.com) is signed with SigV4 from the
  standard AWS credential chain (FERRY_AUTH=sigv4 forces it, with AWS_REGION).`;

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

const OPTIONS = {
  image: { type: 'string' },
  source: { type: 'string' },
  ref: { type: 'string' },
  dockerfile: { type: 'string' },
  context: { type: 'string' },
  'build-arg': { type: 'string', multiple: true },
  reason: { type: 'string' },
  'idempotency-key': { type: 'string' },
  release: { type: 'string' },
  to: { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
  file: { type: 'string' },
  pattern: { type: 'string' },
  function: { type: 'string', multiple: true },
  qualifier: { type: 'string' },
  version: { type: 'string' },
  since: { type: 'string' },
  follow: { type: 'boolean' },
  payload: { type: 'string' },
  port: { type: 'string' },
  timeout: { type: 'string' },
  memory: { type: 'string' },
  env: { type: 'string', multiple: true },
  architecture: { type: 'string' },
  'ephemeral-storage': { type: 'string' },
  wait: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

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

/** Runs one CLI invocation; returns the exit code (0 ok, 1 failed/not SUCCEEDED, 2 usage). */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  let options: CommandOptions;
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    });
    options = { values: parsed.values, positionals: parsed.positionals };
  } catch (error) {
    io.stderr.write(`ferry: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const command = options.positionals[0];
  if (!command || options.values.help || command === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return command || options.values.help ? 0 : 2;
  }
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
    local: commands.local,
    doctor,
  }[command];
  try {
    const url = apiUrl(io.env.FERRY_URL);
    if (command === 'web')
      return await webCommand(
        url,
        clientAuth(url, io.env),
        options.values.port as string | undefined,
        io,
      );
    if (!run) throw new UsageError(`unknown command "${command}"`);
    const ctx: CommandContext = {
      client: new FerryClient(url, clientAuth(url, io.env), io.fetch ?? fetch),
      out: io.stdout,
      readStdin: io.readStdin ?? (() => readFileSync(0, 'utf8')),
      ...(io.sleep ? { sleep: io.sleep } : {}),
      ...(io.pollMs !== undefined ? { pollMs: io.pollMs } : {}),
      ...(io.now ? { now: io.now } : {}),
      ...localHostSigner(io.env),
      localHome: io.env.FERRY_HOME ?? '.ferry',
      ...(io.untilStopped ? { untilStopped: io.untilStopped } : {}),
    };
    return await run(ctx, options);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`ferry: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof ProblemError) {
      io.stderr.write(
        `ferry: ${problemLine(error.problem)}${hint(error.problem.status, io.env)}\n`,
      );
      return 1;
    }
    throw error;
  }
}

/** FERRY_URL as a URL; a ProblemError (one `ferry:` line) saying what to set when it is not one. */
function apiUrl(value: string | undefined): URL {
  const text = value ?? 'http://127.0.0.1:8787';
  const url = URL.canParse(text) ? new URL(text) : null;
  if (url && (url.protocol === 'http:' || url.protocol === 'https:')) return url;
  throw new ProblemError({
    type: 'urn:ferry:problem:bad-ferry-url',
    title: 'FERRY_URL is not an http(s) URL',
    status: 0,
    detail: `FERRY_URL "${text}" is not an http(s) URL: set it to the stack's ApiUrl output (https://<id>.execute-api.<region>.amazonaws.com) or, in local mode, the URL \`npm start\` printed`,
  });
}

/** What to do about an authentication failure, from what the CLI sent. */
function hint(status: number, env: Record<string, string | undefined>): string {
  if (status !== 401) return '';
  return env.FERRY_TOKEN
    ? ' (FERRY_TOKEN was refused: use the token `npm start` printed)'
    : ' (set FERRY_TOKEN, or use AWS credentials against an API Gateway FERRY_URL)';
}

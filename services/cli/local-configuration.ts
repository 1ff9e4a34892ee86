/**
 * `ferry local create-function|update-function-configuration|get-function`: a local
 * function's configuration with Lambda's knobs — `--timeout S`, `--memory MB`, `--env K=V`
 * (repeatable; on an update it replaces every variable, as Lambda does), `--architecture A`
 * (at create only: Lambda changes it with the code), `--ephemeral-storage MB`. The API checks
 * Lambda's limits; a bad value is one `ferry:` line and changes nothing.
 */
import {
  type CommandContext,
  type CommandOptions,
  flag,
  print,
  str,
  UsageError,
} from './commands.ts';
import { ProblemError } from './problem.ts';
import { buildArgsOf, sourceUrl } from './source-path.ts';

/** The function's configuration as the API returns it. */
interface Configuration {
  readonly functionName: string;
  readonly version: string;
  readonly imageUri: string;
  readonly revisionId: string;
  readonly lastUpdateStatus: string;
  readonly timeoutSeconds: number;
  readonly memorySizeMb: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly architecture: string;
  readonly ephemeralStorageMb: number;
}

function wholeNumber(o: CommandOptions, option: string): number | undefined {
  const raw = str(o, option);
  if (raw === undefined) return undefined;
  if (!/^[0-9]+$/.test(raw)) throw new UsageError(`--${option} ${raw}: expected a whole number`);
  return Number(raw);
}

/** The configuration options given, as the API's fields (absent ones left out). */
export function configurationOptions(o: CommandOptions): Record<string, unknown> {
  const pairs = o.values.env as string[] | undefined;
  const environment = pairs?.map((pair) => {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--env ${pair}: expected NAME=VALUE`);
    return [pair.slice(0, eq), pair.slice(eq + 1)] as const;
  });
  const fields = {
    timeoutSeconds: wholeNumber(o, 'timeout'),
    memorySizeMb: wholeNumber(o, 'memory'),
    ephemeralStorageMb: wholeNumber(o, 'ephemeral-storage'),
    architecture: str(o, 'architecture'),
    environment: environment && Object.fromEntries(environment),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** The configuration as lines (or one JSON line with --json). */
function show(ctx: CommandContext, o: CommandOptions, c: Configuration): void {
  if (flag(o, 'json')) {
    print(ctx, [JSON.stringify(c)]);
    return;
  }
  const env = Object.entries(c.environment).map(([k, v]) => `${k}=${v}`);
  print(ctx, [
    `${c.functionName}:${c.version}  ${c.imageUri}`,
    `  timeout ${c.timeoutSeconds} s, memory ${c.memorySizeMb} MB, ${c.architecture}, /tmp ${c.ephemeralStorageMb} MB`,
    `  environment ${env.length > 0 ? env.join(' ') : '(none)'}`,
    `  revision ${c.revisionId} (${c.lastUpdateStatus})`,
  ]);
}

/**
 * `ferry local create-function <name> (--image REF | --source PATH [--build-arg K=V]...)
 * [configuration options]`: with --source, local mode builds the image first (as a deployment's
 * build does) and a failed build is one line followed by the build's last log lines.
 */
export async function createFunction(ctx: CommandContext, o: CommandOptions, name: string) {
  const image = str(o, 'image');
  const path = str(o, 'source');
  if (Boolean(image) === Boolean(path))
    throw new UsageError(
      'ferry local create-function <name> (--image REF | --source PATH [--build-arg K=V]...)',
    );
  const buildArgs = buildArgsOf(o);
  if (image && Object.keys(buildArgs).length > 0)
    throw new UsageError('--build-arg goes with --source: an --image is already built');
  const source = path
    ? { url: sourceUrl(path), ...(Object.keys(buildArgs).length ? { buildArgs } : {}) }
    : undefined;
  const body = { name, ...(image ? { image } : { source }), ...configurationOptions(o) };
  const config = await ctx.client
    .request<{ version: string; resolvedImageUri: string }>('POST', '/v1/local/functions', {
      body,
    })
    .catch((error: unknown) => {
      throw withBuildLog(error);
    });
  print(ctx, [`created ${name}: version 1 (${config.resolvedImageUri}) behind alias live`]);
  return 0;
}

/** A failed build's problem with its log lines (the `buildLog` member) under its line. */
function withBuildLog(error: unknown): unknown {
  if (!(error instanceof ProblemError)) return error;
  const log = error.problem.buildLog;
  if (!Array.isArray(log) || log.length === 0) return error;
  const lines = log.map((line) => `  | ${String(line)}`).join('\n');
  return new ProblemError(
    { ...error.problem, detail: `${error.problem.detail ?? error.problem.title}\n${lines}` },
    { cause: error },
  );
}

/** `ferry local update-function-configuration <name> [configuration options]` ($LATEST) */
export async function updateFunctionConfiguration(
  ctx: CommandContext,
  o: CommandOptions,
  name: string,
) {
  const { architecture, ...change } = configurationOptions(o);
  if (architecture !== undefined) {
    throw new UsageError(
      '--architecture is set at create-function only: Lambda changes it with the code, not the configuration',
    );
  }
  if (Object.keys(change).length === 0) {
    throw new UsageError(
      'nothing to change: give --timeout, --memory, --env or --ephemeral-storage',
    );
  }
  const path = `/v1/local/functions/${encodeURIComponent(name)}/configuration`;
  show(ctx, o, await ctx.client.request<Configuration>('PUT', path, { body: change }));
  return 0;
}

/** `ferry local get-function <name>`: $LATEST's configuration. */
export async function getFunction(ctx: CommandContext, o: CommandOptions, name: string) {
  const path = `/v1/local/functions/${encodeURIComponent(name)}`;
  show(ctx, o, await ctx.client.request<Configuration>('GET', path));
  return 0;
}

import { type Deployment, type DeploymentStatus, isTerminal } from '../core/deployment.ts';
import type { LiveNow } from '../core/outcome-words.ts';
import type { DeploymentPage } from '../core/ports.ts';
import { BuildLogStream, buildLogLines } from './build-log-command.ts';
import type { FerryClient } from './client.ts';
import { followDeployment, type ProgressOutput } from './follow.ts';
import { createFunction, getFunction, updateFunctionConfiguration } from './local-configuration.ts';
import { ProblemError } from './problem.ts';
import { readUserFile } from './read-file.ts';
import { type FunctionOverviewItem, functionsTable, historyTable, summaryLines } from './render.ts';
import type { RequestSigner } from './sigv4.ts';
import { buildArgsOf, sourceUrl } from './source-path.ts';
import { closest } from './suggest.ts';

/** Parsed options shared by the commands. */
export interface CommandOptions {
  readonly values: Record<string, string | boolean | string[] | undefined>;
  readonly positionals: readonly string[];
}

/** What a command needs from the outside world. */
export interface CommandContext {
  readonly client: FerryClient;
  readonly out: ProgressOutput;
  readonly readStdin: () => string;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly pollMs?: number;
  readonly now?: () => Date;
  /** Signs `ferry local invoke`'s calls to the function host (local mode's generated key). @default - unsigned */
  readonly hostSigner?: RequestSigner;
  /** Local mode's FERRY_HOME as this shell names it, for `ferry local registry-login`. @default '.ferry' */
  readonly localHome?: string;
  /** Commands that run until stopped (`logs --follow`) end when this resolves. @default - Ctrl-C */
  readonly untilStopped?: () => Promise<void>;
}

/** A usage mistake: exit code 2 with the message. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A deployment as an accepting answer names it. */
export interface Accepted {
  readonly id: string;
  readonly status: DeploymentStatus;
}

/** A string option's value. */
export const str = (o: CommandOptions, key: string) => o.values[key] as string | undefined;
/** Whether a boolean option was given. */
export const flag = (o: CommandOptions, key: string) => o.values[key] === true;

/** The positional argument at `index`, or a UsageError naming `what` is missing. */
export function positional(o: CommandOptions, index: number, what: string): string {
  const value = o.positionals[index];
  if (!value) throw new UsageError(`missing ${what}`);
  return value;
}

/** A UsageError unless `action` is one of `actions`: the nearest one it meant, and the forms. */
export function expectAction(action: string, actions: readonly string[], forms: string): void {
  if (actions.includes(action)) return;
  const meant = closest(action, actions);
  throw new UsageError(
    `unknown action "${action}": ${meant ? `did you mean ${meant}? (${forms})` : forms}`,
  );
}

/** Writes lines to the command's output. */
export function print(ctx: CommandContext, lines: readonly string[]): void {
  ctx.out.write(`${lines.join('\n')}\n`);
}

/** Prints an accepted deployment, or follows it to the end; the exit code is 0 only on SUCCEEDED when waiting. */
export async function acceptedOrFollowed(
  ctx: CommandContext,
  o: CommandOptions,
  accepted: Accepted,
): Promise<number> {
  if (!flag(o, 'wait')) {
    if (flag(o, 'json')) print(ctx, [JSON.stringify(accepted)]);
    else
      print(ctx, [
        `accepted ${accepted.id} (${accepted.status})`,
        `follow it: ferry status ${accepted.id} --wait`,
      ]);
    return 0;
  }
  const json = flag(o, 'json');
  const logs = flag(o, 'logs') && !json ? new BuildLogStream(ctx.client, ctx.out) : undefined;
  // With --json the progress would corrupt the document: follow silently. With --logs, plain
  // lines: a block redrawn in place would overwrite the log lines printed under it.
  const progress: ProgressOutput = json
    ? { write() {}, isTTY: false }
    : logs
      ? { write: (t) => ctx.out.write(t), isTTY: false }
      : ctx.out;
  const final = await followDeployment(ctx.client, accepted.id, progress, {
    ...(logs ? { onPoll: (d: Deployment) => logs.poll(d) } : {}),
    ...(ctx.pollMs !== undefined ? { intervalMs: ctx.pollMs } : {}),
    ...(ctx.sleep ? { sleep: ctx.sleep } : {}),
    ...(ctx.now ? { now: ctx.now } : {}),
  });
  const now = ctx.now?.() ?? new Date();
  print(ctx, json ? [JSON.stringify(final)] : ['', ...summaryLines(final, now)]);
  return final.status === 'SUCCEEDED' ? 0 : 1;
}

/**
 * `--release`: a strategy's name as it is, or its explicit form as JSON (`{"strategy":"linear",…}`);
 * the API judges either and names what is wrong.
 */
function releaseOption(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  if (!value.trimStart().startsWith('{')) return value;
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new UsageError(`--release ${value}: not JSON (${(error as Error).message})`);
  }
}

/** `ferry deploy <function> (--image REF | --source URL|PATH [--ref R]) [--wait]` */
export async function deploy(ctx: CommandContext, o: CommandOptions): Promise<number> {
  const fn = positional(o, 1, 'function name: ferry deploy <function> --image REF');
  const image = str(o, 'image');
  const url = str(o, 'source');
  if (Boolean(image) === Boolean(url))
    throw new UsageError('give exactly one of --image REF or --source URL');
  if (flag(o, 'logs') && !flag(o, 'wait')) {
    throw new UsageError(
      '--logs streams the build log while --wait follows the deployment: add --wait, or run ferry status <id> --logs later',
    );
  }
  const buildArgs = buildArgsOf(o);
  const source = url
    ? {
        url: sourceUrl(url),
        ...(str(o, 'ref') ? { ref: str(o, 'ref') } : {}),
        ...(str(o, 'dockerfile') ? { dockerfile: str(o, 'dockerfile') } : {}),
        ...(str(o, 'context') ? { context: str(o, 'context') } : {}),
        ...(Object.keys(buildArgs).length ? { buildArgs } : {}),
      }
    : undefined;
  const key = str(o, 'idempotency-key');
  const release = releaseOption(str(o, 'release'));
  const accepted = await ctx.client.request<Accepted>('POST', '/v1/deployments', {
    body: {
      function: fn,
      ...(image ? { image } : { source }),
      ...(str(o, 'reason') ? { reason: str(o, 'reason') } : {}),
      ...(release !== undefined ? { release } : {}),
    },
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });
  return acceptedOrFollowed(ctx, o, accepted);
}

/** `ferry status <id> [--wait]` */
export async function status(ctx: CommandContext, o: CommandOptions): Promise<number> {
  const id = positional(o, 1, 'deployment id: ferry status <id>');
  if (flag(o, 'wait')) return acceptedOrFollowed(ctx, o, { id, status: 'RUNNING' });
  const d = await ctx.client.request<Deployment>(
    'GET',
    `/v1/deployments/${encodeURIComponent(id)}`,
  );
  if (flag(o, 'json')) {
    print(ctx, [JSON.stringify(d)]);
    return 0;
  }
  const live = isTerminal(d.status) ? await liveNow(ctx, d.functionName) : null;
  const logs = flag(o, 'logs') ? await buildLogLines(ctx.client, d) : [];
  print(ctx, [...summaryLines(d, ctx.now?.() ?? new Date(), { steps: true, live }), ...logs]);
  return 0;
}

/** The function's live record as the API knows it now; null when it cannot say (the summary says what the record left). */
async function liveNow(ctx: CommandContext, name: string): Promise<LiveNow | null> {
  const live = await ctx.client
    .request<{ items: FunctionOverviewItem[] }>('GET', '/v1/functions')
    .then((list) => list.items.find((f) => f.name === name)?.live ?? null)
    .catch(() => null);
  return live ? { version: live.version, deploymentId: live.deploymentId } : null;
}

/** `ferry history <function> [--limit N] [--cursor C]` */
export async function history(ctx: CommandContext, o: CommandOptions): Promise<number> {
  const fn = positional(o, 1, 'function name: ferry history <function>');
  const query = new URLSearchParams();
  if (str(o, 'limit')) query.set('limit', str(o, 'limit') as string);
  if (str(o, 'cursor')) query.set('cursor', str(o, 'cursor') as string);
  const qs = query.size ? `?${query}` : '';
  const page = await ctx.client.request<DeploymentPage>(
    'GET',
    `/v1/functions/${encodeURIComponent(fn)}/deployments${qs}`,
  );
  if (flag(o, 'json')) print(ctx, [JSON.stringify(page)]);
  else {
    print(ctx, page.items.length ? historyTable(page.items) : [`no deployments of ${fn} yet`]);
    if (page.cursor) print(ctx, [`more: ferry history ${fn} --cursor ${page.cursor}`]);
  }
  return 0;
}

/** `ferry rollback <function> [--to ID] [--wait]` */
export async function rollback(ctx: CommandContext, o: CommandOptions): Promise<number> {
  const fn = positional(o, 1, 'function name: ferry rollback <function>');
  const body = {
    ...(str(o, 'to') ? { to: str(o, 'to') } : {}),
    ...(str(o, 'reason') ? { reason: str(o, 'reason') } : {}),
  };
  const accepted = await ctx.client.request<Accepted>(
    'POST',
    `/v1/functions/${encodeURIComponent(fn)}/rollback`,
    { body },
  );
  return acceptedOrFollowed(ctx, o, accepted);
}

/** `ferry functions [list]` / `get <name>` / `put <name> [--file F]` (JSON settings; stdin without --file) */
export async function functions(ctx: CommandContext, o: CommandOptions): Promise<number> {
  const action = o.positionals[1] ?? 'list';
  expectAction(action, ['list', 'get', 'put'], 'ferry functions [list] | get|put <name>');
  if (action === 'list') {
    const { items } = (await ctx.client.request('GET', '/v1/functions')) as {
      items: FunctionOverviewItem[];
    };
    print(ctx, flag(o, 'json') ? [JSON.stringify(items)] : functionsTable(items));
    return 0;
  }
  const name = positional(o, 2, `function name: ferry functions ${action} <name>`);
  const path = `/v1/functions/${encodeURIComponent(name)}`;
  if (action === 'get') {
    print(ctx, [JSON.stringify(await ctx.client.request('GET', path), null, 2)]);
    return 0;
  }
  const file = str(o, 'file');
  const text = file ? readUserFile(file, '--file') : ctx.readStdin();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `settings ${file ?? '(stdin)'} are not JSON (${(error as Error).message}): fix the file, or start from ferry functions get ${name}`,
    );
  }
  print(ctx, [JSON.stringify(await ctx.client.request('PUT', path, { body }), null, 2)]);
  return 0;
}

/** `ferry rules get|put|delete <repository> [--pattern GLOB --function NAME...]` */
export async function rules(ctx: CommandContext, o: CommandOptions): Promise<number> {
  const action = positional(o, 1, 'action: ferry rules get|put|delete <repository>');
  expectAction(action, ['get', 'put', 'delete'], 'ferry rules get|put|delete <repository>');
  const repository = positional(o, 2, `repository: ferry rules ${action} <repository>`);
  const path = `/v1/rules/${encodeURIComponent(repository)}`;
  if (action === 'get') {
    print(ctx, [JSON.stringify(await ctx.client.request('GET', path), null, 2)]);
    return 0;
  }
  if (action === 'delete') {
    await ctx.client.request('DELETE', path);
    print(ctx, [`deleted the rule of ${repository}`]);
    return 0;
  }
  const tagPattern = str(o, 'pattern');
  const functions = (o.values.function as string[] | undefined) ?? [];
  if (!tagPattern || functions.length === 0)
    throw new UsageError(
      'ferry rules put <repository> --pattern GLOB --function NAME [--function NAME]...',
    );
  print(ctx, [
    JSON.stringify(
      await ctx.client.request('PUT', path, { body: { tagPattern, functions } }),
      null,
      2,
    ),
  ]);
  return 0;
}

const SLACK_USERS_USAGE =
  'ferry slack-users [list] | link <slack-user-id> <team> | unlink <slack-user-id>';

/** `ferry slack-users [list] | link <id> <team> | unlink <id>` (admin team) */
export async function slackUsers(ctx: CommandContext, o: CommandOptions): Promise<number> {
  const action = o.positionals[1] ?? 'list';
  expectAction(action, ['list', 'link', 'unlink'], SLACK_USERS_USAGE);
  if (action === 'list') {
    const { items } = (await ctx.client.request('GET', '/v1/slack-users')) as {
      items: { userId: string; team: string; source: string; linkedBy?: string }[];
    };
    if (flag(o, 'json')) print(ctx, [JSON.stringify(items)]);
    else if (items.length === 0) print(ctx, ['no Slack users are mapped to teams']);
    else
      print(
        ctx,
        items.map((l) =>
          `${l.userId.padEnd(12)} ${l.team.padEnd(16)} ${l.source === 'config' ? 'stack configuration (ferry:slackUsers)' : `linked by ${l.linkedBy ?? '-'}`}`.trimEnd(),
        ),
      );
    return 0;
  }
  const userId = positional(o, 2, `slack user id: ${SLACK_USERS_USAGE}`);
  const path = `/v1/slack-users/${encodeURIComponent(userId)}`;
  if (action === 'link') {
    const team = positional(o, 3, `team: ${SLACK_USERS_USAGE}`);
    await ctx.client.request('PUT', path, { body: { team } });
    print(ctx, [`${userId} now acts for team ${team} in /ferry commands`]);
    return 0;
  }
  if (action === 'unlink') {
    await ctx.client.request('DELETE', path);
    print(ctx, [`${userId} is no longer linked to a team`]);
    return 0;
  }
  throw new UsageError(`unknown action "${action}": ${SLACK_USERS_USAGE}`);
}

interface LocalInfo {
  readonly registry: string;
  readonly functionHost: string;
}

const LOCAL_ACTIONS =
  'create-function|update-function-configuration|get-function|invoke <name>|registry-login';

/**
 * `ferry local create-function|update-function-configuration|get-function|invoke <name> …` /
 * `ferry local registry-login` (local mode; configuration in local-configuration.ts)
 */
export async function local(ctx: CommandContext, o: CommandOptions): Promise<number> {
  const action = positional(o, 1, `action: ferry local ${LOCAL_ACTIONS}`);
  expectAction(
    action,
    [
      'create-function',
      'update-function-configuration',
      'get-function',
      'invoke',
      'registry-login',
    ],
    `ferry local ${LOCAL_ACTIONS}`,
  );
  if (action === 'registry-login') {
    const { registry } = await ctx.client.request<LocalInfo>('GET', '/v1/local');
    const home = ctx.localHome ?? '.ferry';
    print(ctx, [
      `buildah login --tls-verify=false -u ferry --password-stdin ${registry} < ${home}/registry-password`,
      `skopeo login --tls-verify=false -u ferry --password-stdin ${registry} < ${home}/registry-password`,
      `# or pass --authfile ${home}/registry-auth.json to buildah, skopeo or podman`,
    ]);
    return 0;
  }
  const name = positional(o, 2, `function name: ferry local ${action} <name>`);
  if (action === 'create-function') return createFunction(ctx, o, name);
  if (action === 'update-function-configuration') return updateFunctionConfiguration(ctx, o, name);
  if (action === 'get-function') return getFunction(ctx, o, name);
  const payload = str(o, 'payload') ?? '{}';
  try {
    JSON.parse(payload);
  } catch {
    throw new UsageError('--payload must be JSON');
  }
  const info = await ctx.client.request<LocalInfo>('GET', '/v1/local');
  const qualifier = str(o, 'qualifier') ?? 'live';
  const url = new URL(
    `${info.functionHost}/2015-03-31/functions/${encodeURIComponent(name)}/invocations?Qualifier=${encodeURIComponent(qualifier)}`,
  );
  const headers = { 'x-amz-log-type': 'Tail' };
  const signed: Record<string, string> = ctx.hostSigner
    ? await ctx.hostSigner({ method: 'POST', url, headers, body: payload })
    : headers;
  const { host: _host, ...sent } = signed;
  const res = await fetch(url, { method: 'POST', headers: sent, body: payload }).catch((error) => {
    throw new ProblemError(
      {
        type: 'urn:ferry:problem:unreachable',
        title: 'Function host unreachable',
        status: 0,
        detail: `cannot reach the function host at ${url.origin} (${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}): check that local mode (\`npm start\`) is running`,
      },
      { cause: error },
    );
  });
  const body = await res.text();
  if (res.status === 403) {
    const home = ctx.localHome ?? '.ferry';
    const key = ctx.hostSigner
      ? `the key in ${home}/aws-credentials`
      : `no key (${home}/aws-credentials not found)`;
    throw new ProblemError({
      type: 'urn:ferry:problem:function-host-refused',
      title: 'Function host refused the call',
      status: 403,
      detail: `the function host refused the call (${res.headers.get('x-amzn-errortype') ?? 'HTTP 403'}) signed with ${key}: set FERRY_HOME to the running Ferry's state directory`,
    });
  }
  const functionError = res.headers.get('x-amz-function-error');
  const log = res.headers.get('x-amz-log-result');
  if (flag(o, 'json'))
    print(ctx, [JSON.stringify({ statusCode: res.status, functionError, payload: body })]);
  else {
    print(ctx, [body]);
    if (log)
      print(ctx, [Buffer.from(log, 'base64').toString('utf8').trimEnd().split('\n').at(-1) ?? '']);
  }
  return res.ok && !functionError ? 0 : 1;
}

/**
 * `ferry logs <function|deployment> [--version N] [--since 10m|ISO] [--limit N] [--follow]`: what
 * the function printed, one `timestamp [version] message` line each (JSON lines with --json). A
 * deployment id stands for its function's lines since the deployment started, of the version it
 * released once it has one (its smoke invoke's output). With --follow it polls with the page's
 * cursor, so each line shows once, until Ctrl-C.
 */
import type { Deployment } from '../core/deployment.ts';
import { isDeploymentId } from '../core/ids.ts';
import { parseSince, SINCE_FORMS } from '../core/log-since.ts';
import type { FunctionLogEvent, FunctionLogPage } from '../core/ports.ts';
import {
  type CommandContext,
  type CommandOptions,
  flag,
  positional,
  str,
  UsageError,
} from './commands.ts';

/** How often --follow asks for new lines. */
const FOLLOW_INTERVAL_MS = 2000;
const VERSION = /^(\$LATEST|[1-9][0-9]{0,9})$/;

/** One event as a line: `2026-12-01T12:00:00.123Z [7] message`. */
export const logLine = (e: FunctionLogEvent) => `${e.timestamp} [${e.version}] ${e.message}`;

/** The query parameters the options ask for; a UsageError for a value the API would refuse. */
function logsQuery(o: CommandOptions, now: Date): URLSearchParams {
  const query = new URLSearchParams();
  const version = str(o, 'version');
  if (version !== undefined) {
    if (!VERSION.test(version))
      throw new UsageError(`--version ${version}: expected a version number or $LATEST`);
    query.set('version', version);
  }
  const since = str(o, 'since');
  if (since !== undefined) {
    if (parseSince(since, now) === null)
      throw new UsageError(`--since ${since}: expected ${SINCE_FORMS}`);
    query.set('since', since);
  }
  const limit = str(o, 'limit');
  if (limit !== undefined) {
    if (!/^[0-9]{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > 1000)
      throw new UsageError(`--limit ${limit}: expected a number from 1 to 1000`);
    query.set('limit', limit);
  }
  return query;
}

/** `ferry logs <function|deployment> [--version N] [--since 10m|ISO] [--limit N] [--follow]` */
export async function logs(ctx: CommandContext, o: CommandOptions): Promise<number> {
  const target = positional(o, 1, 'function name: ferry logs <function|deployment>');
  const query = logsQuery(o, ctx.now?.() ?? new Date());
  let fn = target;
  if (isDeploymentId(target)) {
    const d = await ctx.client.request<Deployment>('GET', `/v1/deployments/${target}`);
    fn = d.functionName;
    if (!query.has('since')) query.set('since', d.createdAt);
    if (!query.has('version') && d.release?.version) query.set('version', d.release.version);
  }
  const path = `/v1/functions/${encodeURIComponent(fn)}/logs`;
  const read = (params: URLSearchParams) =>
    ctx.client.request<FunctionLogPage>('GET', `${path}${params.size ? `?${params}` : ''}`);
  const show = (page: FunctionLogPage) => {
    const lines = page.events.map((e) => (flag(o, 'json') ? JSON.stringify(e) : logLine(e)));
    if (lines.length > 0) ctx.out.write(`${lines.join('\n')}\n`);
  };
  let page = await read(query);
  show(page);
  if (!flag(o, 'follow')) return 0;
  const sleep = ctx.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  let stopped = false;
  void ctx.untilStopped?.().then(() => {
    stopped = true;
  });
  // Later pages continue from the cursor: `since` no longer applies.
  query.delete('since');
  while (!stopped) {
    await sleep(ctx.pollMs ?? FOLLOW_INTERVAL_MS);
    if (stopped) break;
    query.set('cursor', page.cursor);
    page = await read(query);
    show(page);
  }
  return 0;
}

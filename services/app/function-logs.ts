/**
 * Reading a function's logs for a caller: the same ownership check as its settings and history
 * (reads.ts), then the FunctionLogs port. Defaults live here, once for every entry point.
 */
import type { Clock } from '../core/clock.ts';
import type { DeploymentStore, FunctionLogPage, FunctionLogs } from '../core/ports.ts';
import type { Caller } from './caller.ts';
import { settingsFor } from './reads.ts';

/** How far back a read goes when it names no time: an hour. */
export const DEFAULT_LOGS_WINDOW_MS = 60 * 60 * 1000;
/** Events per page when the caller names no limit. */
export const DEFAULT_LOGS_LIMIT = 100;

/** What reading logs needs. */
export interface FunctionLogsDeps {
  readonly store: Pick<DeploymentStore, 'getSettings'>;
  readonly functionLogs: FunctionLogs;
  readonly clock: Clock;
}

/** A read's options as entry points pass them (all optional). */
export interface LogsRequest {
  readonly version?: string | undefined;
  readonly since?: Date | undefined;
  readonly cursor?: string | undefined;
  readonly limit?: number | undefined;
}

/**
 * A page of the function's logs, if the caller's team owns it (or the caller is an admin): a
 * tail of the last hour by default, or what came after `cursor`. NotFoundError when the function
 * is not registered with Ferry.
 */
export async function logsFor(
  deps: FunctionLogsDeps,
  caller: Caller,
  name: string,
  request: LogsRequest = {},
): Promise<FunctionLogPage> {
  await settingsFor(deps.store, caller, name);
  return deps.functionLogs.read(name, {
    since: request.since ?? new Date(deps.clock.now().getTime() - DEFAULT_LOGS_WINDOW_MS),
    limit: request.limit ?? DEFAULT_LOGS_LIMIT,
    ...(request.version ? { version: request.version } : {}),
    ...(request.cursor ? { cursor: request.cursor } : {}),
  });
}

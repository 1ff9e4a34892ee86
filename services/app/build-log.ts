/**
 * Reading a deployment's build log for a caller: the same ownership check as reading the
 * deployment (reads.ts), then the BuildLogs port. A deployment of an image had no build (404);
 * a source build that has not started has no lines yet.
 */
import { NotFoundError } from '../core/errors.ts';
import type { BuildLogs, DeploymentStore } from '../core/ports.ts';
import type { Caller } from './caller.ts';
import { deploymentFor } from './reads.ts';

/** Lines per answer when the caller names no tail, cursor or limit. */
export const DEFAULT_BUILD_LOG_TAIL = 100;

/** What reading a build log needs. */
export interface BuildLogDeps {
  readonly store: Pick<DeploymentStore, 'get' | 'getSettings' | 'listByFunction'>;
  readonly buildLogs: BuildLogs;
}

/** A read's options as entry points pass them: a tail, or a page after `cursor`. */
export interface BuildLogRequest {
  readonly tail?: number | undefined;
  readonly cursor?: string | undefined;
  readonly limit?: number | undefined;
}

/** Lines of the build's log; `buildId` and `cursor` are null while the build has not started. */
export interface BuildLogAnswer {
  readonly buildId: string | null;
  readonly lines: readonly string[];
  readonly cursor: string | null;
  readonly link: string | null;
}

/**
 * The deployment's build log, if the caller may read the deployment: the last `tail` lines
 * (default {@link DEFAULT_BUILD_LOG_TAIL}), or with a cursor (or a limit) the lines after it.
 */
export async function buildLogFor(
  deps: BuildLogDeps,
  caller: Caller,
  id: string,
  request: BuildLogRequest = {},
): Promise<BuildLogAnswer> {
  const deployment = await deploymentFor(deps.store, caller, id);
  if (!deployment.request.source) {
    throw new NotFoundError(`deployment ${id} deployed an image: it had no build`);
  }
  const buildId = deployment.buildId;
  if (!buildId) return { buildId: null, lines: [], cursor: null, link: null };
  const paged = request.cursor !== undefined || request.limit !== undefined;
  const page = await deps.buildLogs.read(
    buildId,
    paged
      ? {
          limit: request.limit ?? DEFAULT_BUILD_LOG_TAIL,
          ...(request.cursor ? { cursor: request.cursor } : {}),
        }
      : { tail: request.tail ?? DEFAULT_BUILD_LOG_TAIL },
  );
  if (!page) throw new NotFoundError(`the log of build ${buildId} is gone`);
  return {
    buildId,
    lines: page.lines,
    cursor: page.cursor,
    link: page.link ?? deployment.buildLogsUrl ?? null,
  };
}

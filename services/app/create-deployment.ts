import { requireAllowedOrigin } from '../core/allowed-origins.ts';
import type { Deployment, SourceSpec, Trigger } from '../core/deployment.ts';
import {
  ConflictError,
  describeError,
  InvalidRequestError,
  isFerryError,
  TransientError,
} from '../core/errors.ts';
import { parseRequestedImage } from '../core/image-ref.ts';
import type { ReleaseStrategy } from '../core/release-strategy.ts';
import type { Caller } from './caller.ts';
import type { AppDeps } from './deps.ts';
import { waitingForGc } from './gc-lock.ts';
import { type Created, claimKey, fingerprint, replay } from './idempotency.ts';
import { requireOwner, requireRegistered } from './ownership.ts';

export type { Created } from './idempotency.ts';

/** A deployment request, validated. */
export interface DeploymentRequest {
  readonly functionName: string;
  readonly image?: string;
  readonly source?: SourceSpec;
  readonly reason?: string;
  /** Overrides the function's release strategy for this deployment. */
  readonly release?: ReleaseStrategy;
}

/**
 * Authorizes and records a deployment, then starts its workflow. Shared by POST /v1/deployments,
 * Slack's /ferry deploy, rollbacks and automatic rollouts. Order matters: the per-function lock
 * is taken for the NEW id before anything is written (Prepare re-takes it as the same owner), so
 * of concurrent requests exactly one writes a record and the rest get a ConflictError naming the
 * holder; the Idempotency-Key (scoped to the caller's team) is bound next, before the record, so
 * a key can never end up on two deployments.
 */
export async function createDeployment(
  deps: AppDeps,
  caller: Caller,
  request: DeploymentRequest,
  trigger: Trigger,
  idempotencyKey?: string,
  /** Runs after the record is written, before the workflow starts (best-effort: errors are logged). */
  beforeStart?: (id: string) => Promise<void>,
): Promise<Created> {
  const fn = request.functionName;
  if (request.image !== undefined) parseRequestedImage(request.image);
  const settings = requireRegistered(fn, await deps.store.getSettings(fn));
  requireOwner(caller, fn, settings.team);
  requireAllowedOrigin(fn, request, settings.allowedRepositories);
  if (request.source?.url.startsWith('file:') && !deps.config.allowFileSources) {
    throw new InvalidRequestError(
      'file:// sources are for local mode only: give an https:// git URL or an s3:// object',
      { field: 'source.url' },
    );
  }

  const key = idempotencyKey ? `${caller.team}:${idempotencyKey}` : undefined;
  const hash = fingerprint(request);
  const replayed = key ? await replay(deps, key, hash) : null;
  if (replayed) return replayed;

  const id = deps.newId();
  const now = deps.clock.now();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const twin = await lockFor(deps, fn, id, nowSeconds, key, hash);
  if (twin) return twin;
  try {
    if (key && !(await claimKey(deps, key, hash, id, nowSeconds))) {
      // A twin with the same key got here between our replay check and our lock: answer as it did.
      await deps.store.releaseLock(fn, id);
      const first = await replay(deps, key, hash);
      if (first) return first;
      throw new ConflictError('the Idempotency-Key expired while in use: retry');
    }
    await deps.store.create(record(id, now, settings.team, request, trigger));
  } catch (error) {
    // Nothing started: free the function now rather than when the lock's TTL runs out.
    await release(deps, fn, id);
    throw error;
  }
  if (beforeStart) {
    await beforeStart(id).catch((error: unknown) =>
      deps.logger.warn('before-start hook failed', { deploymentId: id, ...describeError(error) }),
    );
  }
  await start(deps, id, fn);
  return { replayed: false, deployment: { id, status: 'PENDING', functionName: fn } };
}

/**
 * Takes the function's lock for `id`; when another deployment holds it, returns the answer of a
 * same-key twin (a concurrent retry), else rethrows the store's ConflictError, which names the holder.
 */
async function lockFor(
  deps: AppDeps,
  fn: string,
  id: string,
  nowSeconds: number,
  key: string | undefined,
  hash: string,
): Promise<Created | null> {
  try {
    // gc holds a function's lock only for a short deletion: wait for it rather than refuse.
    await waitingForGc(() =>
      deps.store.acquireLock(fn, id, nowSeconds, deps.config.lockTtlSeconds),
    );
    return null;
  } catch (error) {
    if (!isFerryError(error, 'ConflictError')) throw error;
    // A concurrent retry with the same key lost the race to its twin: the twin's answer is ours.
    const twin = key ? await replay(deps, key, hash) : null;
    if (twin) return twin;
    throw error;
  }
}

/** A new PENDING record. */
function record(
  id: string,
  now: Date,
  team: string,
  request: DeploymentRequest,
  trigger: Trigger,
): Deployment {
  return {
    id,
    functionName: request.functionName,
    status: 'PENDING',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    team,
    trigger,
    request: {
      ...(request.image ? { image: request.image } : {}),
      ...(request.source ? { source: request.source } : {}),
      ...(request.reason ? { reason: request.reason } : {}),
      ...(request.release ? { release: request.release } : {}),
    },
    steps: [],
  };
}

/**
 * Starts the workflow (execution name = deployment id, so a retried start never runs twice).
 * If it cannot start, the deployment ends FAILED with the reason and the lock is released, and
 * the caller gets a TransientError (`workflow-unavailable`).
 */
async function start(deps: AppDeps, id: string, fn: string): Promise<void> {
  try {
    await deps.workflow.start(id);
  } catch (error) {
    const { name, message } = describeError(error);
    deps.logger.error('workflow start failed', { deploymentId: id, error: name, message });
    try {
      await deps.store.update(id, {
        status: 'FAILED',
        reason: `the deploy workflow could not be started (${name}: ${message})`,
        error: { name, message },
        endedAt: deps.clock.now().toISOString(),
      });
    } catch (updateError) {
      deps.logger.error('marking an unstarted deployment FAILED failed', {
        deploymentId: id,
        ...describeError(updateError),
      });
    }
    // Released even when the record could not be updated: nothing runs, so nothing may block.
    await release(deps, fn, id);
    throw new TransientError(
      `deployment ${id} could not be started and was marked FAILED; nothing changed: send the request again (with a new Idempotency-Key if you used one)`,
      { kind: 'workflow-unavailable', deploymentId: id, cause: error },
    );
  }
}

/** Releases the lock `id` holds; a failure is logged, not thrown (the TTL frees it in the end). */
async function release(deps: AppDeps, fn: string, id: string): Promise<void> {
  try {
    await deps.store.releaseLock(fn, id);
  } catch (error) {
    deps.logger.error('lock release failed', {
      deploymentId: id,
      functionName: fn,
      ...describeError(error),
    });
  }
}

import { createHash } from 'node:crypto';
import type { Deployment, SourceSpec, Trigger } from '../core/deployment.ts';
import { describeError, isFerryError } from '../core/errors.ts';
import { parseImageRef } from '../core/image-ref.ts';
import { requireOwner, requireRegistered } from './authorize.ts';
import type { ApiDeps, Caller } from './deps.ts';
import { ApiProblem } from './problem.ts';

/** A deployment request, validated. */
export interface DeploymentRequest {
  readonly functionName: string;
  readonly image?: string;
  readonly source?: SourceSpec;
  readonly reason?: string;
}

/** The outcome: 202 for a new deployment, 200 when an idempotency key replays an earlier one. */
export interface Created {
  readonly status: 200 | 202;
  readonly deployment: Pick<Deployment, 'id' | 'status' | 'functionName'>;
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

/**
 * Validates, authorizes and records a deployment, then starts its workflow. The per-function lock
 * is taken for the new id BEFORE the record exists (Prepare re-takes it as the same owner), so a
 * concurrent request gets 409 and nothing runs twice. Shared by POST /v1/deployments, rollbacks and
 * automatic rollouts.
 */
export async function createDeployment(
  deps: ApiDeps,
  caller: Caller,
  request: DeploymentRequest,
  trigger: Trigger,
  idempotencyKey?: string,
): Promise<Created> {
  const fn = request.functionName;
  const settings = requireRegistered(fn, await deps.store.getSettings(fn));
  requireOwner(caller, fn, settings.team);
  checkRepository(fn, request.image, settings.allowedRepositories);

  const scopedKey = idempotencyKey ? `${caller.team}:${idempotencyKey}` : undefined;
  const requestHash = createHash('sha256').update(canonical(request)).digest('hex');
  const replay = scopedKey ? await replayed(deps, scopedKey, requestHash) : null;
  if (replay) return replay;

  const id = deps.newId();
  const now = deps.clock.now();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  try {
    await deps.store.acquireLock(fn, id, nowSeconds, deps.config.lockTtlSeconds);
  } catch (error) {
    if (!isFerryError(error, 'ConflictError')) throw error;
    // A concurrent retry with the same key lost the lock race to its twin: answer as the twin did.
    const twin = scopedKey ? await replayed(deps, scopedKey, requestHash) : null;
    if (twin) return twin;
    const holder = (await deps.store.getLock(fn))?.owner;
    throw new ApiProblem(
      409,
      'deployment-in-progress',
      `deployment ${holder ?? '(unknown)'} of ${fn} is in progress: wait for it (ferry status ${holder ?? '<id>'} --wait) and try again`,
      { holder: holder ?? null },
    );
  }

  const deployment: Deployment = {
    id,
    functionName: fn,
    status: 'PENDING',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    team: settings.team,
    trigger,
    request: {
      ...(request.image ? { image: request.image } : {}),
      ...(request.source ? { source: request.source } : {}),
      ...(request.reason ? { reason: request.reason } : {}),
    },
    steps: [],
  };
  await deps.store.create(deployment);
  if (scopedKey) {
    await deps.store.putIdempotencyKey({
      key: scopedKey,
      requestHash,
      deploymentId: id,
      expiresAt: nowSeconds + deps.config.idempotencyTtlSeconds,
    });
  }
  await start(deps, deployment);
  return { status: 202, deployment: { id, status: 'PENDING', functionName: fn } };
}

/** The deployment an idempotency key already made (same body), 422 for a different body, else null. */
async function replayed(deps: ApiDeps, key: string, requestHash: string): Promise<Created | null> {
  const record = await deps.store.getIdempotencyKey(key);
  if (!record) return null;
  if (record.requestHash !== requestHash) {
    throw new ApiProblem(
      422,
      'idempotency-key-reuse',
      'this Idempotency-Key was used with a different request: use a new key for a new request',
    );
  }
  const existing = await deps.store.get(record.deploymentId);
  if (!existing) return null;
  return {
    status: 200,
    deployment: { id: existing.id, status: existing.status, functionName: existing.functionName },
  };
}

function checkRepository(fn: string, image: string | undefined, allowed: readonly string[]): void {
  if (!image || allowed.length === 0) return;
  const ref = parseImageRef(image);
  const names = [ref.repository, ...(ref.registry ? [`${ref.registry}/${ref.repository}`] : [])];
  if (names.some((n) => allowed.includes(n))) return;
  throw new ApiProblem(
    403,
    'forbidden',
    `repository ${names.at(-1)} is not allowed for ${fn}; allowed: ${allowed.join(', ')}`,
  );
}

/** Starts the workflow; if that fails, the deployment ends FAILED and the lock is released. */
async function start(deps: ApiDeps, deployment: Deployment): Promise<void> {
  try {
    await deps.workflow.start(deployment.id);
  } catch (error) {
    const { name, message } = describeError(error);
    deps.logger.error('workflow start failed', {
      deploymentId: deployment.id,
      error: name,
      message,
    });
    await deps.store.update(deployment.id, {
      status: 'FAILED',
      reason: `the deploy workflow could not be started (${name}: ${message})`,
      error: { name, message },
      endedAt: deps.clock.now().toISOString(),
    });
    await deps.store.releaseLock(deployment.functionName, deployment.id);
    throw new ApiProblem(
      503,
      'workflow-unavailable',
      `deployment ${deployment.id} could not be started and was marked FAILED; try again`,
      { id: deployment.id },
    );
  }
}

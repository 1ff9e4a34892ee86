import { createHash } from 'node:crypto';
import type { Deployment } from '../core/deployment.ts';
import { isFerryError } from '../core/errors.ts';
import type { ApiDeps } from './deps.ts';
import { ApiProblem } from './problem.ts';

/** What a create answers: 202 for a new deployment, 200 when an idempotency key replays one. */
export interface Created {
  readonly status: 200 | 202;
  readonly deployment: Pick<Deployment, 'id' | 'status' | 'functionName'>;
}

const DEFAULT_TTL_SECONDS = 86_400;

// Key order must not matter: `{a, b}` and `{b, a}` are the same request.
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

/** SHA-256 of a request's canonical JSON: what "the same body" means for an Idempotency-Key. */
export function fingerprint(request: unknown): string {
  return createHash('sha256').update(canonical(request)).digest('hex');
}

/**
 * The deployment a key already made for the same request (200), a 422 for a different request,
 * or null when the key is unused. A key whose deployment is not written yet belongs to a request
 * still in flight: 409, retry shortly (the IETF Idempotency-Key draft's answer).
 */
export async function replay(deps: ApiDeps, key: string, hash: string): Promise<Created | null> {
  const record = await deps.store.getIdempotencyKey(key);
  if (!record) return null;
  if (record.requestHash !== hash) {
    throw new ApiProblem(
      422,
      'idempotency-key-reuse',
      'this Idempotency-Key was used with a different request: use a new key for a new request',
    );
  }
  const existing = await deps.store.get(record.deploymentId);
  if (!existing) {
    throw new ApiProblem(
      409,
      'conflict',
      `a request with this Idempotency-Key is still being processed (deployment ${record.deploymentId}): retry shortly`,
      { id: record.deploymentId },
    );
  }
  const { id, status, functionName } = existing;
  return { status: 200, deployment: { id, status, functionName } };
}

/** Binds the key to a new deployment; false when another request bound it first. */
export async function claimKey(
  deps: ApiDeps,
  key: string,
  hash: string,
  deploymentId: string,
  nowSeconds: number,
): Promise<boolean> {
  const ttl = deps.config.idempotencyTtlSeconds ?? DEFAULT_TTL_SECONDS;
  try {
    await deps.store.putIdempotencyKey({
      key,
      requestHash: hash,
      deploymentId,
      expiresAt: nowSeconds + ttl,
    });
    return true;
  } catch (error) {
    if (isFerryError(error, 'ConflictError')) return false;
    throw error;
  }
}

import { createHash } from 'node:crypto';
import type { Deployment } from '../core/deployment.ts';
import { ConflictError, InvalidRequestError, isFerryError } from '../core/errors.ts';
import type { AppDeps } from './deps.ts';

/** What a create answers: a new deployment, or (`replayed`) the one an idempotency key made before. */
export interface Created {
  readonly replayed: boolean;
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
 * The deployment a key already made for the same request (a replay), InvalidRequestError
 * (`idempotency-key-reuse`) for a different request, or null when the key is unused. A key whose
 * deployment is not written yet belongs to a request still in flight: ConflictError
 * (`request-in-flight`), retry shortly (the IETF Idempotency-Key draft's answer).
 */
export async function replay(deps: AppDeps, key: string, hash: string): Promise<Created | null> {
  const record = await deps.store.getIdempotencyKey(key);
  if (!record) return null;
  if (record.requestHash !== hash) {
    throw new InvalidRequestError(
      'this Idempotency-Key was used with a different request: use a new key for a new request',
      { kind: 'idempotency-key-reuse' },
    );
  }
  const existing = await deps.store.get(record.deploymentId);
  if (!existing) {
    throw new ConflictError(
      `a request with this Idempotency-Key is still being processed (deployment ${record.deploymentId}): retry shortly`,
      { kind: 'request-in-flight', deploymentId: record.deploymentId },
    );
  }
  const { id, status, functionName } = existing;
  return { replayed: true, deployment: { id, status, functionName } };
}

/** Binds the key to a new deployment; false when another request bound it first. */
export async function claimKey(
  deps: AppDeps,
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

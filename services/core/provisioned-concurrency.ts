/**
 * The rules for a provisioned-concurrency request that every Functions implementation applies
 * before it calls anything, so the fake, the local host and Lambda refuse the same requests. Pure.
 */
import { InvalidRequestError } from './errors.ts';

/**
 * Throws InvalidRequestError unless `version` may carry provisioned concurrency — a published
 * version, never $LATEST (Lambda refuses it too) — and, when given, `count` is a whole number
 * of at least 1 (no provisioned concurrency is a delete, not a count of 0).
 */
export function checkProvisionedConcurrency(name: string, version: string, count?: number): void {
  if (version === '$LATEST') {
    throw new InvalidRequestError(
      `provisioned concurrency on ${name}:$LATEST: only a published version can have it; publish one and pass its number`,
    );
  }
  if (count !== undefined && !(Number.isInteger(count) && count >= 1)) {
    throw new InvalidRequestError(
      `provisioned concurrency on ${name}:${version}: count ${count} must be a whole number ≥ 1; to have none, delete it`,
    );
  }
}

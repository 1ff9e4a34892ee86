/**
 * gc takes the per-function deployment locks as an owner of its own. Deployments that find one
 * of those wait for it (gc holds its locks for a short deletion only) instead of being refused.
 */
import { isFerryError } from '../core/errors.ts';

/** The prefix of gc's lock owners: `gc-<id>`, never a deployment id (`d-…`). */
export const GC_LOCK_OWNER_PREFIX = 'gc-';

/** True when the lock holder is a gc run. */
export const isGcLockOwner = (holder: string | null | undefined): boolean =>
  Boolean(holder?.startsWith(GC_LOCK_OWNER_PREFIX));

/** How long a deployment waits for gc's hold on its function's lock, and how often it looks. */
export const GC_LOCK_WAIT = { attempts: 40, intervalMs: 250 } as const;

/** Runs `take` (a lock acquisition) again while a gc run holds the lock, within GC_LOCK_WAIT. */
export async function waitingForGc<T>(
  take: () => Promise<T>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await take();
    } catch (error) {
      const gcHolds = isFerryError(error, 'ConflictError') && isGcLockOwner(error.holder);
      if (!gcHolds || attempt >= GC_LOCK_WAIT.attempts) throw error;
      await sleep(GC_LOCK_WAIT.intervalMs);
    }
  }
}

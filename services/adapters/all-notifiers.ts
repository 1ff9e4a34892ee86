import { isFerryError } from '../core/errors.ts';
import type { Notifier } from '../core/ports.ts';

/**
 * Sends every notification to each notifier; one failing does not stop the others. When some
 * fail, a retryable failure (TransientError) is the one thrown, so the caller's retry runs: each
 * notifier's claims keep the ones that succeeded from sending twice.
 */
export function allNotifiers(...notifiers: Notifier[]): Notifier {
  return {
    async notify(n) {
      const results = await Promise.allSettled(notifiers.map((x) => x.notify(n)));
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      if (failures.length === 0) return;
      throw failures.find((e) => isFerryError(e, 'TransientError')) ?? failures[0];
    },
  };
}

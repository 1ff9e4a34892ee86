import type { Notifier } from '../core/ports.ts';

/** Sends every notification to each notifier; one failing does not stop the others. */
export function allNotifiers(...notifiers: Notifier[]): Notifier {
  return {
    async notify(n) {
      const results = await Promise.allSettled(notifiers.map((x) => x.notify(n)));
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    },
  };
}

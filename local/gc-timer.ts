/**
 * Local mode's scheduled `ferry gc`: one run every `intervalSeconds` (the first one interval after
 * start, so starting Ferry never deletes anything at once), each under the function locks like an
 * on-demand run (services/app/collect-garbage.ts). A failed run is logged and the next one comes.
 */
import type { GcReport } from '../services/app/collect-garbage.ts';
import { describeError } from '../services/core/errors.ts';
import type { Logger } from '../services/core/logger.ts';

/** Options of {@link startGcTimer}. */
export interface GcTimerOptions {
  /** One gc run. */
  readonly run: () => Promise<GcReport>;
  /** Seconds between runs (`FERRY_GC_INTERVAL_SECONDS`). */
  readonly intervalSeconds: number;
  readonly logger: Logger;
}

/** A running timer; `stop` waits for a run in progress to end. */
export interface GcTimer {
  stop(): Promise<void>;
}

/** Starts the timer. */
export function startGcTimer(options: GcTimerOptions): GcTimer {
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(tick, options.intervalSeconds * 1000);
    // A pending gc is no reason to keep the process alive.
    timer.unref();
  };
  const tick = () => {
    current = options
      .run()
      .then(
        (report) =>
          options.logger.info('scheduled gc done', {
            images: report.images.filter((i) => i.outcome === 'deleted').length,
            versions: report.versions.filter((v) => v.outcome === 'deleted').length,
            bytesReclaimed: report.bytesReclaimed,
            skipped: report.skipped.map((s) => s.functionName).join(', '),
            ...(report.failure ? { failure: report.failure } : {}),
          }),
        (error: unknown) => options.logger.warn('scheduled gc failed', { ...describeError(error) }),
      )
      .finally(() => {
        if (!stopped) schedule();
      });
  };
  schedule();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}

/** The interval from `FERRY_GC_INTERVAL_SECONDS`: unset → daily; `0` or `off` → no timer (null). */
export function gcIntervalFromEnv(value: string | undefined): number | null {
  if (value === undefined || value === '') return 86_400;
  if (value === '0' || value.toLowerCase() === 'off') return null;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 60) {
    throw new Error(
      `FERRY_GC_INTERVAL_SECONDS must be a whole number of seconds, at least 60 (or 0 / off to turn the timer off); got "${value}"`,
    );
  }
  return seconds;
}

/**
 * Local mode's rollout dispatcher: a pass over the rollout queue every second (and once at start),
 * so a rollout waiting for its function starts soon after that function's deployment ends and
 * its lock is released, and rollouts queued before a restart are picked up. One pass at a time.
 * A deployment's end nudges it, so the next queued rollout of that function starts at once.
 */
import { describeError } from '../services/core/errors.ts';
import type { Logger } from '../services/core/logger.ts';

/** A running dispatcher loop. */
export interface RolloutDispatcher {
  /** Stops the loop; resolves once the pass under way (if any) has ended. Idempotent. */
  stop(): Promise<void>;
  /** Asks for a pass now (or right after the one under way); nudges meanwhile make one pass. */
  nudge(): void;
}

/** Options for {@link startRolloutDispatcher}. */
export interface RolloutDispatcherOptions {
  /** One pass over the queue (dispatchRollouts bound to local mode's deps). */
  readonly pass: () => Promise<unknown>;
  readonly logger: Logger;
  /** @default 1000 */
  readonly intervalMs?: number;
}

/** Starts the loop: a first pass now, then one every `intervalMs` after the previous ends. */
export function startRolloutDispatcher(options: RolloutDispatcherOptions): RolloutDispatcher {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  let passing = false;
  let nudged = false;
  const tick = () => {
    passing = true;
    nudged = false;
    current = options
      .pass()
      .then(
        () => undefined,
        (error: unknown) =>
          options.logger.warn('rollout dispatch pass failed', { ...describeError(error) }),
      )
      .finally(() => {
        passing = false;
        // Scheduled after the pass ends, so a slow store never stacks passes up.
        if (!stopped) timer = setTimeout(tick, nudged ? 0 : (options.intervalMs ?? 1000));
      });
  };
  tick();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
    nudge: () => {
      if (stopped) return;
      nudged = true;
      if (passing) return;
      clearTimeout(timer);
      timer = setTimeout(tick, 0);
    },
  };
}

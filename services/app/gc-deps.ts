/** How a runtime's composition root turns its parts into the gc use case's deps. */
import type { Clock } from '../core/clock.ts';
import type { FunctionInventory, ImageInventory, StorageReclaimer } from '../core/ports.ts';
import {
  collectGarbage,
  type GcDeps,
  type GcOptions,
  type GcPolicyInput,
  type GcReport,
} from './collect-garbage.ts';
import type { AppDeps } from './deps.ts';

/** What gc adds to the use cases' deps: the inventories, the reclaimer and the configured policy. */
export interface GcParts {
  readonly images: ImageInventory;
  readonly functions: FunctionInventory;
  /** @default - nothing to reclaim (AWS: the registry frees storage itself) */
  readonly reclaimer?: StorageReclaimer;
  /** @default - gcPolicySchema's defaults */
  readonly policy?: GcPolicyInput;
  /**
   * The clock ages are measured by. @default - the use cases' clock. Tests move it forward to
   * age images past the minimum age without waiting an hour.
   */
  readonly clock?: Clock;
}

/** The gc deps from the use cases' deps (store, clock, ids, logs, lock lifetime) and the parts. */
export function gcDeps(app: AppDeps, parts: GcParts): GcDeps {
  return {
    store: app.store,
    images: parts.images,
    functions: parts.functions,
    clock: parts.clock ?? app.clock,
    logger: app.logger,
    newId: app.newId,
    lockTtlSeconds: app.config.lockTtlSeconds,
    ...(parts.reclaimer ? { reclaimer: parts.reclaimer } : {}),
    ...(parts.policy ? { policy: parts.policy } : {}),
  };
}

/**
 * How an entry point runs gc: in this process (local mode), or by invoking the gc Lambda (the AWS
 * API: only that Lambda's role may delete).
 */
export interface GcRunner {
  run(options: GcOptions): Promise<GcReport>;
}

/** A runner calling the use case in this process. */
export function inProcessGcRunner(app: AppDeps, parts: GcParts): GcRunner {
  const deps = gcDeps(app, parts);
  return { run: (options) => collectGarbage(deps, options) };
}

/**
 * `ferry gc`: removes the images and Lambda versions no release can need (the one home of the
 * use case: the API, the CLI through it, local mode's timer and the AWS schedule all call it).
 *
 * Read a snapshot, plan (collection-plan.ts), and unless it is a dry run: take every managed
 * function's deployment lock (the lock deployments take; a function a deployment holds is
 * skipped this run, unless that deployment is a release in a settled phase: gc-lock-set.ts),
 * read a fresh snapshot under the locks, keep only what the re-check confirms (gc-confirm.ts),
 * delete versions then images, mark the history, release the locks. Removing an image needs
 * every managed function (any of them may roll back to it), so a skipped function leaves every
 * image for the next run. An image whose last version goes in a run is still kept by that
 * version in the run's snapshot: it goes on the next run.
 */
import { type GcPolicy, gcPolicySchema, planCollection } from '../core/collection-plan.ts';
import { InvalidRequestError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { DeploymentStore, StorageReclaimer } from '../core/ports.ts';
import { type GcReadDeps, readGcSnapshot } from './gc-read.ts';
import { imageLine, removeUnderLocks, versionLine } from './gc-remove.ts';
import { type GcReport, keptSummary } from './gc-report.ts';

export type { GcReport } from './gc-report.ts';

/** A policy as configured or requested: every field optional, defaults from gcPolicySchema. */
export type GcPolicyInput = Partial<GcPolicy>;

/** What the use case needs: the snapshot's sources, the locks, and the history to mark. */
export interface GcDeps extends GcReadDeps {
  readonly store: GcReadDeps['store'] &
    Pick<DeploymentStore, 'acquireLock' | 'releaseLock' | 'update' | 'get' | 'listByFunction'>;
  /** Gives the disk back after images went (local mode). @default - nothing to reclaim */
  readonly reclaimer?: StorageReclaimer;
  readonly logger: Logger;
  readonly newId: () => string;
  /** How long gc's hold on a function's lock lives if gc dies holding it. */
  readonly lockTtlSeconds: number;
  /** The configured policy; a run's overrides win. @default - gcPolicySchema's defaults */
  readonly policy?: GcPolicyInput;
}

/** One run's options. */
export interface GcOptions {
  /** Plan and report only: nothing is locked, deleted or marked. @default false */
  readonly dryRun?: boolean;
  readonly policy?: GcPolicyInput;
}

/** The policy of a run; InvalidRequestError naming the field when it is out of range. */
export function gcPolicy(configured: GcPolicyInput = {}, overrides: GcPolicyInput = {}): GcPolicy {
  const parsed = gcPolicySchema.safeParse({ ...configured, ...overrides });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InvalidRequestError(
    `gc policy: ${issue?.path.join('.') || '(body)'}: ${issue?.message ?? 'invalid'}`,
  );
}

/** Runs gc once and reports what went (or would go), what was kept and why, and what was skipped. */
export async function collectGarbage(deps: GcDeps, options: GcOptions = {}): Promise<GcReport> {
  const policy = {
    ...gcPolicy(deps.policy, options.policy),
    functionRollbackDepths: await settingsDepths(deps),
  };
  const snapshot = await readGcSnapshot(deps);
  const plan = planCollection(snapshot, policy);
  const base = {
    takenAt: plan.takenAt,
    policy,
    kept: keptSummary(plan),
  };
  if (options.dryRun) {
    return {
      ...base,
      dryRun: true,
      images: plan.images.map(imageLine),
      versions: plan.versions.map(versionLine),
      skipped: [],
      stopped: [],
      bytesReclaimed: plan.bytesReclaimed,
    };
  }
  if (plan.images.length === 0 && plan.versions.length === 0) {
    return {
      ...base,
      dryRun: false,
      images: [],
      versions: [],
      skipped: [],
      stopped: [],
      bytesReclaimed: 0,
    };
  }
  const report = await removeUnderLocks(deps, plan);
  if (!deps.reclaimer || !report.images.some((i) => i.outcome === 'deleted')) return report;
  const { reclaimedBytes } = await deps.reclaimer.reclaim();
  return { ...report, diskBytesReclaimed: reclaimedBytes };
}

/** The functions whose settings give their own rollback depth. */
async function settingsDepths(deps: GcDeps): Promise<Record<string, number>> {
  const depths: Record<string, number> = {};
  for (const { name, settings } of await deps.store.listFunctions()) {
    if (settings.rollbackDepth !== undefined) depths[name] = settings.rollbackDepth;
  }
  return depths;
}

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
import {
  type CollectionPlan,
  type GcPolicy,
  gcPolicySchema,
  planCollection,
} from '../core/collection-plan.ts';
import { describeError, InvalidRequestError } from '../core/errors.ts';
import { confirmUnderLock } from '../core/gc-confirm.ts';
import { newestDeploymentId } from '../core/gc-recheck.ts';
import type { Logger } from '../core/logger.ts';
import type { DeploymentStore, StorageReclaimer } from '../core/ports.ts';
import { GC_LOCK_OWNER_PREFIX } from './gc-lock.ts';
import { GcLockSet } from './gc-lock-set.ts';
import { markCollected } from './gc-marks.ts';
import { type GcReadDeps, readGcSnapshot } from './gc-read.ts';
import { type GcImageLine, type GcReport, type GcVersionLine, keptSummary } from './gc-report.ts';

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

const imageLine = (i: CollectionPlan['images'][number]): GcImageLine => ({
  repository: i.repository,
  digest: i.digest,
  tags: i.tags,
  sizeBytes: i.sizeBytes,
});
const versionLine = (v: CollectionPlan['versions'][number]): GcVersionLine => ({
  functionName: v.functionName,
  version: v.version,
  digest: v.digest,
});

/** Locks, re-checks, deletes and marks; every lock taken is released, whatever happens. */
async function removeUnderLocks(deps: GcDeps, plan: CollectionPlan): Promise<GcReport> {
  const owner = `${GC_LOCK_OWNER_PREFIX}${deps.newId()}`;
  const nowSeconds = () => Math.floor(deps.clock.now().getTime() / 1000);
  const locks = new GcLockSet(deps.store, owner, nowSeconds, deps.lockTtlSeconds);
  const images: GcImageLine[] = [];
  const versions: GcVersionLine[] = [];
  const stopped: string[] = [];
  let failure: string | undefined;
  try {
    // Images of one snapshot share one list of locks: walk each distinct list once.
    const lists = new Set([...plan.images, ...plan.versions].map((item) => item.recheck.locks));
    for (const list of lists) for (const name of list) await locks.take(name);
    const fresh = await readGcSnapshot(deps);
    // A function registered since the plan may name any image: its lock is needed too.
    if (plan.images.length > 0) for (const fn of fresh.functions) await locks.take(fn.functionName);
    const confirmed = confirmUnderLock(plan, fresh);
    stopped.push(...confirmed.stopped);
    const everyFunction = fresh.functions.map((fn) => fn.functionName);
    const needed = new Map<readonly string[], string[]>();
    const neededFor = (list: readonly string[]) => {
      const known = needed.get(list);
      if (known) return known;
      const names = [...new Set([...list, ...everyFunction])];
      needed.set(list, names);
      return names;
    };
    const newest = new Map(fresh.functions.map((fn) => [fn.functionName, newestDeploymentId(fn)]));
    const stillCovered = async (names: readonly string[]) => {
      for (const name of names) {
        if (!(await locks.stillCovers(name, newest.get(name) ?? null))) return false;
      }
      return true;
    };
    try {
      for (const v of confirmed.versions) {
        if (!locks.covers(v.recheck.locks)) continue;
        versions.push({
          ...versionLine(v),
          outcome: await deps.functions.deleteVersion(v.functionName, v.version),
        });
      }
      for (const i of confirmed.images) {
        const names = neededFor(i.recheck.locks);
        if (!locks.covers(names)) continue;
        if (!(await stillCovered(names))) {
          stopped.push(`image ${i.repository}@${i.digest} kept: a deployment started meanwhile`);
          continue;
        }
        images.push({
          ...imageLine(i),
          outcome: await deps.images.deleteImage(i.repository, i.digest),
        });
      }
    } catch (error) {
      failure = describeError(error).message;
      deps.logger.error('gc stopped: a removal failed', { owner, ...describeError(error) });
    }
    await markCollected(deps, fresh, { images, versions, at: deps.clock.now().toISOString() });
  } finally {
    await locks.releaseAll((functionName, error) =>
      deps.logger.warn('gc lock not released', { functionName, ...describeError(error) }),
    );
  }
  deps.logger.info('gc done', {
    owner,
    images: images.filter((i) => i.outcome === 'deleted').length,
    versions: versions.filter((v) => v.outcome === 'deleted').length,
  });
  return {
    dryRun: false,
    takenAt: plan.takenAt,
    policy: plan.policy,
    kept: keptSummary(plan),
    images,
    versions,
    skipped: locks.skipped,
    stopped,
    bytesReclaimed: images
      .filter((i) => i.outcome === 'deleted')
      .reduce((sum, i) => sum + i.sizeBytes, 0),
    ...(failure ? { failure } : {}),
  };
}

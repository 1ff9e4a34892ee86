/**
 * gc's removal step (services/app/collect-garbage.ts): under the function locks, re-read, confirm
 * (gc-confirm.ts), delete versions then images, mark the history; the locks released whatever
 * happens, and the report honest about what went before any failure.
 */
import type { CollectionPlan } from '../core/collection-plan.ts';
import { describeError } from '../core/errors.ts';
import { confirmUnderLock } from '../core/gc-confirm.ts';
import { newestDeploymentId } from '../core/gc-recheck.ts';
import type { GcDeps } from './collect-garbage.ts';
import { GC_LOCK_OWNER_PREFIX } from './gc-lock.ts';
import { GcLockSet } from './gc-lock-set.ts';
import { markCollected } from './gc-marks.ts';
import { readGcSnapshot } from './gc-read.ts';
import { type GcImageLine, type GcReport, type GcVersionLine, keptSummary } from './gc-report.ts';

/** A planned image as the report lists it. */
export const imageLine = (i: CollectionPlan['images'][number]): GcImageLine => ({
  repository: i.repository,
  digest: i.digest,
  tags: i.tags,
  sizeBytes: i.sizeBytes,
});
/** A planned version as the report lists it. */
export const versionLine = (v: CollectionPlan['versions'][number]): GcVersionLine => ({
  functionName: v.functionName,
  version: v.version,
  digest: v.digest,
});

/** Locks, re-checks, deletes and marks; every lock taken is released, whatever happens. */
export async function removeUnderLocks(deps: GcDeps, plan: CollectionPlan): Promise<GcReport> {
  const owner = `${GC_LOCK_OWNER_PREFIX}${deps.newId()}`;
  const nowSeconds = () => Math.floor(deps.clock.now().getTime() / 1000);
  const locks = new GcLockSet(deps.store, owner, nowSeconds, deps.lockTtlSeconds);
  const images: GcImageLine[] = [];
  const versions: GcVersionLine[] = [];
  const stopped: string[] = [];
  let failure: string | undefined;
  const archive = plan.policy.imageRemoval === 'archive' ? deps.images.archiveImage : undefined;
  const removeImage = (repository: string, digest: string) =>
    archive
      ? archive.call(deps.images, repository, digest)
      : deps.images.deleteImage(repository, digest);
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
          outcome: await removeImage(i.repository, i.digest),
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

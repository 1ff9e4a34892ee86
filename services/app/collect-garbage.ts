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
 * image for the next run. A version's image is in use while the version exists, so the images
 * of the versions a run removed are planned by a second pass over a snapshot read after they
 * went (with its own locks and re-check); a dry run predicts that pass from its own snapshot
 * without the planned versions.
 */
import {
  type CollectionPlan,
  type GcPolicy,
  gcPolicySchema,
  planCollection,
} from '../core/collection-plan.ts';
import { InvalidRequestError } from '../core/errors.ts';
import type { GcSnapshot } from '../core/gc-snapshot.ts';
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
  if (policy.imageRemoval === 'archive' && !deps.images.archiveImage) {
    throw new InvalidRequestError(
      'gc policy: imageRemoval: this registry has no archive tier: images can only be deleted',
    );
  }
  const snapshot = await readGcSnapshot(deps);
  const plan = planCollection(snapshot, policy);
  if (options.dryRun) {
    const after = planCollection(withoutVersions(snapshot, plan), policy);
    const images = [...plan.images, ...newImages(after, plan)];
    return {
      takenAt: plan.takenAt,
      policy,
      kept: keptSummary(after),
      dryRun: true,
      images: images.map(imageLine),
      versions: plan.versions.map(versionLine),
      skipped: [],
      stopped: [],
      bytesReclaimed: images.reduce((sum, image) => sum + image.sizeBytes, 0),
    };
  }
  let report = await removePlanned(deps, plan, policy);
  if (report.versions.some((v) => v.outcome === 'deleted') && report.failure === undefined) {
    // The versions that kept their images in use are gone: plan again from what is there now.
    const second = planCollection(await readGcSnapshot(deps), policy);
    report = mergeReports(report, await removePlanned(deps, second, policy));
  }
  if (!deps.reclaimer || !report.images.some((i) => i.outcome === 'deleted')) return report;
  const { reclaimedBytes } = await deps.reclaimer.reclaim();
  return { ...report, diskBytesReclaimed: reclaimedBytes };
}

/** Removes what `plan` names under the locks; an empty plan takes no lock. */
async function removePlanned(
  deps: GcDeps,
  plan: CollectionPlan,
  policy: GcPolicy,
): Promise<GcReport> {
  if (plan.images.length > 0 || plan.versions.length > 0) return removeUnderLocks(deps, plan);
  return {
    takenAt: plan.takenAt,
    policy,
    kept: keptSummary(plan),
    dryRun: false,
    images: [],
    versions: [],
    skipped: [],
    stopped: [],
    bytesReclaimed: 0,
  };
}

/** The snapshot as it will be once the plan's versions are deleted. */
function withoutVersions(snapshot: GcSnapshot, plan: CollectionPlan): GcSnapshot {
  const planned = new Set(plan.versions.map((v) => `${v.functionName}\n${v.version}`));
  return {
    ...snapshot,
    functions: snapshot.functions.map((fn) => ({
      ...fn,
      versions: fn.versions.filter((v) => !planned.has(`${fn.functionName}\n${v.version}`)),
    })),
  };
}

/** The images `after` plans that `plan` did not. */
function newImages(after: CollectionPlan, plan: CollectionPlan) {
  const key = (i: { repository: string; digest: string }) => `${i.repository}\n${i.digest}`;
  const already = new Set(plan.images.map(key));
  return after.images.filter((i) => !already.has(key(i)));
}

/**
 * One report of both passes: the first pass's lines, the second's new ones (a version the host
 * kept is planned again, and kept again: it is reported once), the second pass's kept counts.
 */
function mergeReports(first: GcReport, second: GcReport): GcReport {
  const seen = new Set(first.versions.map((v) => `${v.functionName}\n${v.version}`));
  const skipped = new Map(
    [...first.skipped, ...second.skipped].map((s) => [s.functionName, s] as const),
  );
  return {
    ...first,
    kept: second.kept,
    images: [...first.images, ...second.images],
    versions: [
      ...first.versions,
      ...second.versions.filter((v) => !seen.has(`${v.functionName}\n${v.version}`)),
    ],
    skipped: [...skipped.values()],
    stopped: [...first.stopped, ...second.stopped],
    bytesReclaimed: first.bytesReclaimed + second.bytesReclaimed,
    ...(second.failure !== undefined ? { failure: second.failure } : {}),
  };
}

/** The functions whose settings give their own rollback depth. */
async function settingsDepths(deps: GcDeps): Promise<Record<string, number>> {
  const depths: Record<string, number> = {};
  for (const { name, settings } of await deps.store.listFunctions()) {
    if (settings.rollbackDepth !== undefined) depths[name] = settings.rollbackDepth;
  }
  return depths;
}

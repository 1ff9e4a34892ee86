/**
 * What is live: one record per function naming the release its alias serves, written when a
 * deployment (a release or a rollback) ends SUCCEEDED. Readers — the function index, the
 * rollback target, Prepare's cold-start baseline, the web page — read this one item instead of
 * paging through history, so their cost does not grow with a function's history.
 */
import { z } from 'zod';
import { type ColdStartSample, coldStartSampleSchema, sampleOf } from './cold-start.ts';
import type { Deployment } from './deployment.ts';
import type { DeploymentStore } from './ports.ts';

/** The live record as stored. */
export const liveReleaseSchema = z.object({
  functionName: z.string().min(1),
  /** The deployment that made it live. */
  deploymentId: z.string().min(1),
  version: z.string().nullable(),
  digest: z.string().min(1),
  imageUri: z.string().min(1),
  /** ISO 8601: when that deployment ended. */
  releasedAt: z.string().nullable(),
  compressedBytes: z.number().nullable(),
  /**
   * The release's cold start: from its own smoke, or carried over from the earlier live record of
   * the same digest when this deployment's smoke was warm (a redeploy of the live digest). The
   * median of `coldStart` when that is recorded.
   */
  initDurationMs: z.number().nullable(),
  /**
   * The release's cold starts, the baseline the next deployment's gate compares with where the
   * live version cannot be measured again; absent on records written before samples were taken.
   */
  coldStart: coldStartSampleSchema.nullable().optional(),
});

/** The release a function's alias serves, as far as Ferry released it. */
export type LiveRelease = z.output<typeof liveReleaseSchema>;

/** The record to store once `deployment` has ended SUCCEEDED; null when it recorded no image. */
export function liveReleaseOf(
  deployment: Deployment,
  before: LiveRelease | null,
): LiveRelease | null {
  const release = deployment.release;
  if (deployment.status !== 'SUCCEEDED' || !release?.digest || !release.imageUri) return null;
  const own = deployment.smoke?.initDurationMs;
  const same = before?.digest === release.digest;
  const carried = same ? before.initDurationMs : null;
  const ownSample =
    deployment.smoke?.coldStarts ?? (typeof own === 'number' ? sampleOf([own]) : null);
  return {
    functionName: deployment.functionName,
    deploymentId: deployment.id,
    version: release.version,
    digest: release.digest,
    imageUri: release.imageUri,
    releasedAt: deployment.endedAt ?? null,
    compressedBytes: deployment.scan?.compressedBytes ?? null,
    initDurationMs: typeof own === 'number' ? own : carried,
    coldStart: ownSample ?? (same ? liveColdStarts(before) : null),
  };
}

/**
 * A live record's cold starts: its sample, or for a record written before samples were taken
 * its one Init Duration as a sample of one; null when it has neither.
 */
export function liveColdStarts(live: LiveRelease): ColdStartSample | null {
  if (live.coldStart) return live.coldStart;
  return live.initDurationMs === null ? null : sampleOf([live.initDurationMs]);
}

/** How far back {@link liveOf} looks for a function whose live record predates this store. */
const LEGACY_PAGES = 5;
const LEGACY_PAGE_SIZE = 20;

/**
 * The function's live record. Histories written before live records existed have none: for
 * those (only) the newest SUCCEEDED release of the last 100 deployments stands in, the one place
 * that older shape is read.
 */
export async function liveOf(
  store: Pick<DeploymentStore, 'getLive' | 'listByFunction'>,
  functionName: string,
): Promise<LiveRelease | null> {
  const recorded = await store.getLive(functionName);
  if (recorded) return recorded;
  let cursor: string | undefined;
  for (let page = 0; page < LEGACY_PAGES; page++) {
    const found = await store.listByFunction(functionName, {
      limit: LEGACY_PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    });
    for (const d of found.items) {
      const live = liveReleaseOf(d, null);
      if (live) return live;
    }
    if (!found.cursor) return null;
    cursor = found.cursor;
  }
  return null;
}

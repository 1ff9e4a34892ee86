/**
 * Keeps the history honest after `ferry gc`: a deployment whose released image was removed gets
 * `imageCollectedAt`, one whose published version was deleted gets `versionCollectedAt`, so the
 * history, the web page and the rollback use case can tell a release that can no longer come back.
 */
import type { Deployment, DeploymentPatch } from '../core/deployment.ts';
import { type GcSnapshot, imageAt } from '../core/gc-snapshot.ts';
import type { DeploymentStore } from '../core/ports.ts';
import type { GcImageLine, GcVersionLine } from './gc-report.ts';

/** Removed, archived or found gone: either way the registry or the host no longer serves it. */
const removed = (line: { outcome?: string }) =>
  line.outcome === 'deleted' || line.outcome === 'archived' || line.outcome === 'gone';

/** The patch for `d`, or null when nothing removed was its release. */
export function collectedPatch(
  d: Deployment,
  done: { images: readonly GcImageLine[]; versions: readonly GcVersionLine[]; at: string },
): DeploymentPatch | null {
  const release = d.release;
  if (!release) return null;
  const patch: DeploymentPatch = {};
  const repository = release.repository ?? imageAt(release.imageUri).repository;
  const image = done.images.find(
    (i) =>
      removed(i) &&
      i.digest === release.digest &&
      (repository === null || i.repository === repository),
  );
  if (!d.imageCollectedAt && release.digest && image) {
    patch.imageCollectedAt = done.at;
    if (image.outcome === 'archived') patch.imageArchived = true;
  }
  if (
    !d.versionCollectedAt &&
    release.version &&
    done.versions.some(
      (v) => removed(v) && v.functionName === d.functionName && v.version === release.version,
    )
  ) {
    patch.versionCollectedAt = done.at;
  }
  return Object.keys(patch).length > 0 ? patch : null;
}

/** Marks every deployment in `snapshot` whose release was removed. */
export async function markCollected(
  deps: { store: Pick<DeploymentStore, 'update'> },
  snapshot: GcSnapshot,
  done: { images: readonly GcImageLine[]; versions: readonly GcVersionLine[]; at: string },
): Promise<number> {
  let marked = 0;
  for (const fn of snapshot.functions) {
    for (const d of fn.deployments) {
      const patch = collectedPatch(d, done);
      if (!patch) continue;
      await deps.store.update(d.id, patch);
      marked += 1;
    }
  }
  return marked;
}

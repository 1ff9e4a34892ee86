/**
 * What `ferry gc` did with a release's image, from the record's `imageCollectedAt` (ISO 8601) and
 * `imageArchived`: the history row and the deployment page say it, and offer no rollback to it.
 */
import type { Deployment } from '../core/deployment.ts';

/** The time the release's image was collected, or null (kept, or not known). */
export function imageCollectedAt(d: Deployment): string | null {
  const at = d.imageCollectedAt;
  return typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? at : null;
}

/** `archived` (restorable from the registry's archive tier) or `collected` (deleted). */
export const collectedWord = (d: Deployment) => (d.imageArchived ? 'archived' : 'collected');

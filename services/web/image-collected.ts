/**
 * When `ferry gc` removed a release's image: read tolerantly from the record's
 * `imageCollectedAt` (ISO 8601), so the page shows it as soon as the record carries it and
 * stays as it is for records without it.
 */
import type { Deployment } from '../core/deployment.ts';

/** The time the release's image was collected, or null (kept, or not known). */
export function imageCollectedAt(d: Deployment): string | null {
  const at = (d as { imageCollectedAt?: unknown }).imageCollectedAt;
  return typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? at : null;
}

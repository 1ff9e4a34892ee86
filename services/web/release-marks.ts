/**
 * Which rows of a release history the alias serves: the live release, and during a gradual
 * release also the new one, each with its share of the traffic.
 */
import type { Deployment } from '../core/deployment.ts';
import type { LiveRelease } from '../core/live.ts';

/** A history row's mark: `live` (the release the alias served before) or `new` (being released). */
export interface ReleaseMark {
  readonly kind: 'live' | 'new';
  /** Its share of the alias's traffic, 0 to 1; null when it has all of it. */
  readonly weight: number | null;
}

/** The deployment moving traffic right now, with its share (above 0), if any. */
function shifting(items: readonly Deployment[]): { id: string; weight: number } | null {
  for (const d of items) {
    const t = d.traffic;
    if (d.status === 'RUNNING' && t && t.phase !== 'rolled-back' && t.weight > 0)
      return { id: d.id, weight: Math.min(1, t.weight) };
  }
  return null;
}

/** Marks by deployment id: the live record's deployment, and a gradual release in flight. */
export function releaseMarks(
  items: readonly Deployment[],
  live: LiveRelease | null,
): Map<string, ReleaseMark> {
  const marks = new Map<string, ReleaseMark>();
  const moving = shifting(items);
  if (live)
    marks.set(live.deploymentId, { kind: 'live', weight: moving ? 1 - moving.weight : null });
  if (moving) marks.set(moving.id, { kind: 'new', weight: moving.weight });
  return marks;
}

/** `live`, `live · 90%`, `new · 10%`. */
export function markText(mark: ReleaseMark): string {
  return mark.weight === null ? mark.kind : `${mark.kind} · ${Math.round(mark.weight * 100)}%`;
}

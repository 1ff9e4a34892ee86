/**
 * A deployment's outcome in words, the same in every medium: what each step's result came to
 * (a step that ran but found a failed smoke or gate failed the deployment) and what serves
 * traffic once it is over, as the record knows it.
 */
import type { Deployment, StepRecord } from './deployment.ts';
import { lastJudgement, percentOf } from './traffic-words.ts';

/** A step as a reader should take it: the record's outcome, or `failed` when its result failed. */
export interface StepVerdict {
  readonly outcome: StepRecord['outcome'];
  /** The error, or why the result failed; the step's own summary otherwise. */
  readonly detail?: string;
}

/**
 * The step's verdict. The workers report a failed smoke, size gate or judgement as a result, not
 * an error (the workflow routes on it), so their step record says `succeeded`: read the result.
 */
export function stepVerdict(d: Deployment, step: StepRecord): StepVerdict {
  const failed = step.outcome === 'succeeded' ? resultFailure(d, step.name) : null;
  if (failed) return { outcome: 'failed', detail: failed };
  return { outcome: step.outcome, ...(step.detail ? { detail: step.detail } : {}) };
}

function resultFailure(d: Deployment, name: StepRecord['name']): string | null {
  if (name === 'SmokeInvoke' && d.smoke && (!d.smoke.passed || d.smoke.verdict === 'reject'))
    return `smoke ${d.smoke.verdict === 'reject' ? 'rejected' : 'failed'}: ${d.smoke.reason ?? 'no reason recorded'}`;
  if (name === 'ScanImage' && d.scan?.verdict === 'reject')
    return `rejected: ${d.scan.reasons.join('; ') || 'no reason recorded'}`;
  const judged = lastJudgement(d.traffic);
  if (name === 'JudgeStep' && judged?.action === 'rollback')
    return `judged ${judged.outcome}: ${judged.reason}`;
  return null;
}

const version = (v: string | null | undefined) => (v ? `version ${v}` : 'no version');

/**
 * What serves traffic after (or, while it runs, during) the deployment: `version 7 (was 6)`,
 * `version 6, unchanged`, `version 6 (90%), version 7 (10%)`.
 */
export function servingLine(d: Deployment): string {
  const before = d.previous?.version;
  const after = d.release?.version;
  switch (d.status) {
    case 'SUCCEEDED':
      return before === after
        ? `${version(after)}, unchanged`
        : `${version(after)} (was ${before ?? 'none'})`;
    case 'ROLLBACK_FAILED':
      return `unknown: the rollback to ${version(before)} failed, check the alias`;
    case 'PENDING':
    case 'RUNNING': {
      const w = d.traffic?.weight ?? 0;
      if (w > 0 && w < 1 && after)
        return `${version(before)} (${percentOf(1 - w)}), ${version(after)} (${percentOf(w)})`;
      if (w >= 1 && after) return version(after);
      return before ? `${version(before)}, unchanged so far` : 'unchanged so far';
    }
    default:
      return before ? `${version(before)}, unchanged` : 'unchanged';
  }
}

/** The version the ended deployment left serving: null when that is not known (still running, rollback failed). */
export function versionLeft(d: Deployment): string | null {
  if (d.status === 'SUCCEEDED') return d.release?.version ?? null;
  if (d.status === 'ROLLED_BACK' || d.status === 'REJECTED' || d.status === 'FAILED')
    return d.previous?.version ?? null;
  return null;
}

/** What the function's live record says now, when a later deployment changed it. */
export interface LiveNow {
  readonly version: string | null;
  readonly deploymentId: string;
}

/**
 * The summary's last line for an ended deployment read later: what it left, or, when a later
 * release changed that, what serves now first (`version 9 now (released by d-…); this
 * deployment: version 6, unchanged`).
 */
export function servingNowLine(d: Deployment, live: LiveNow | null): string {
  const left = versionLeft(d);
  if (!live?.version || left === null || live.version === left) return servingLine(d);
  return `version ${live.version} now (released by ${live.deploymentId}); this deployment: ${servingLine(d)}`;
}

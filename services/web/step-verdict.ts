/**
 * How a step is shown. A step records whether it *ran*; a smoke that failed, a gate that
 * rejected, or a judgement that rolled back ran fine but is the reason the release stopped, so
 * the page shows it failed.
 */
import type { Deployment, StepRecord } from '../core/deployment.ts';

/** What the timeline shows for a step. */
export type StepVerdict = 'running' | 'succeeded' | 'failed';

/** Whether the result the step produced stopped the release. */
function resultFailed(step: StepRecord, d: Deployment): boolean {
  switch (step.name) {
    case 'SmokeInvoke':
      return d.smoke !== undefined && (!d.smoke.passed || d.smoke.verdict === 'reject');
    case 'ScanImage':
      return d.scan?.verdict === 'reject';
    case 'JudgeStep':
      return d.traffic?.judgements.at(-1)?.action === 'rollback';
    default:
      return false;
  }
}

/** The step's outcome, with a succeeded step whose result stopped the release as failed. */
export function stepVerdict(step: StepRecord, d: Deployment): StepVerdict {
  if (step.outcome !== 'succeeded') return step.outcome;
  return resultFailed(step, d) ? 'failed' : 'succeeded';
}

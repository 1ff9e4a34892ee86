import { z } from 'zod';
import { releasePlanSchema } from '../../core/release-plan.ts';
import type { WorkerDeps } from '../deps.ts';
import { withStep } from '../step-recorder.ts';
import { patchTraffic } from '../traffic-record.ts';

/**
 * A hold's input: the task's callback token (Step Functions' `$$.Task.Token`) and how long the
 * task waits. The task ends when its wait times out (a step's hold: go on to the judge; the
 * approval: roll back) or early, when approve or abort resumes it with the token.
 */
export const holdInputSchema = z.object({
  deploymentId: z.string().min(1),
  taskToken: z.string().min(1),
  timeoutSeconds: z.number().int().min(1),
  release: releasePlanSchema,
});

/** A hold's input. */
export type HoldInput = z.output<typeof holdInputSchema>;

/** What a hold worker returns (the task's own output is the decision that resumes it). */
export interface HoldResult {
  readonly kind: 'step' | 'approval';
  /** True when an abort was already recorded, so the hold ended itself. */
  readonly aborted: boolean;
}

/** The ports a hold uses. */
export type HoldDeps = Pick<WorkerDeps, 'store' | 'callbacks' | 'clock' | 'logger'>;

// A hold outlives its wait a little, so an abort that races the wait's end still finds its token.
const HOLD_GRACE_SECONDS = 60;

/**
 * Records the waiting task's token (apart from the record: it can end the task) and the phase,
 * then reads the record: an abort written before the token was stored ends the wait now. The
 * abort path writes the abort first and reads the hold second, so one side always sees the other.
 */
export async function holdRelease(
  kind: 'step' | 'approval',
  input: HoldInput,
  deps: HoldDeps,
): Promise<HoldResult> {
  const { deploymentId, taskToken, timeoutSeconds, release } = input;
  const now = deps.clock.now();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  await deps.store.putHold({
    deploymentId,
    kind,
    token: taskToken,
    since: now.toISOString(),
    expiresAt: nowSeconds + timeoutSeconds + HOLD_GRACE_SECONDS,
  });
  const record = await patchTraffic(deps.store, deploymentId, release, (t) => ({
    ...t,
    phase: kind === 'approval' ? 'awaiting-approval' : 'holding',
    ...(kind === 'approval'
      ? { stepEndsAt: new Date(now.getTime() + timeoutSeconds * 1000).toISOString() }
      : {}),
  }));
  if (record.abort) {
    await deps.callbacks.resume(taskToken, { action: 'abort', by: record.abort.by });
    deps.logger.info('hold ended by an earlier abort', { deploymentId, by: record.abort.by });
    return { kind, aborted: true };
  }
  return { kind, aborted: false };
}

/** The Hold step: a traffic step's wait, which an abort ends early. */
export function hold(input: HoldInput, deps: HoldDeps): Promise<HoldResult> {
  return withStep(
    deps,
    input.deploymentId,
    'Hold',
    () => holdRelease('step', input, deps),
    (r) => (r.aborted ? 'aborted before the hold' : `holding ${input.timeoutSeconds} s`),
  );
}

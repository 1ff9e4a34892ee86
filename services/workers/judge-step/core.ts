import { z } from 'zod';
import type { Deployment } from '../../core/deployment.ts';
import { type Judgement, judge } from '../../core/judge.ts';
import type { AlarmState } from '../../core/ports.ts';
import { type ReleasePlan, releasePlanSchema } from '../../core/release-plan.ts';
import { type TrafficState, trafficStateSchema } from '../../core/workflow.ts';
import type { WorkerDeps } from '../deps.ts';
import { withStep } from '../step-recorder.ts';
import { patchTraffic, percentOf } from '../traffic-record.ts';

/** JudgeStep's input: the step just held and what to judge it by. */
export const judgeStepInputSchema = z.object({
  deploymentId: z.string().min(1),
  functionName: z.string().min(1),
  alias: z.string().min(1),
  version: z.string().min(1),
  liveVersion: z.string().min(1),
  release: releasePlanSchema,
  traffic: trafficStateSchema,
});

/** JudgeStep's input. */
export type JudgeStepInput = z.output<typeof judgeStepInputSchema>;

/** The ports JudgeStep uses. */
export type JudgeStepDeps = Pick<
  WorkerDeps,
  'versionHealth' | 'alarms' | 'store' | 'clock' | 'logger'
>;

type RecordedJudgement = NonNullable<Deployment['traffic']>['judgements'][number];

/**
 * Judges the step just held by the new version's own figures next to the old version's over the
 * same window, and by the settings' alarms; decides what follows (the next step, the same step
 * held again, approval, all traffic, or rollback) and records the verdict with its figures.
 * An abort recorded while nothing was waiting is honoured here.
 */
export async function judgeStep(input: JudgeStepInput, deps: JudgeStepDeps): Promise<TrafficState> {
  return withStep(
    deps,
    input.deploymentId,
    'JudgeStep',
    async () => {
      const { deploymentId, release, traffic } = input;
      const record = await deps.store.get(deploymentId);
      if (record?.abort) {
        return { ...traffic, next: 'rollback', reason: abortReason(record.abort.by, traffic) };
      }
      const to = new Date(deps.clock.now().getTime() - release.settleSeconds * 1000);
      const from = new Date(traffic.windowFrom);
      const windowSeconds = Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
      const [candidate, baseline, alarms] = await Promise.all([
        deps.versionHealth.sample(input.functionName, input.alias, input.version, from, to),
        deps.versionHealth.sample(input.functionName, input.alias, input.liveVersion, from, to),
        release.alarms.length > 0 ? deps.alarms.states(release.alarms) : Promise.resolve([]),
      ]);
      const judgement = judge({
        candidate: { version: input.version, sample: candidate },
        baseline: { version: input.liveVersion, sample: baseline },
        windowSeconds,
        thresholds: release.judge,
      });
      const alarmLine = alarmFailure(alarms, release, traffic.step);
      const decided = decide(judgement, alarmLine, release, traffic);
      await patchTraffic(deps.store, deploymentId, release, (t) => ({
        ...t,
        phase: decided.next === 'hold' ? 'holding' : 'judging',
        extensions: decided.extensions,
        ...(decided.next === 'hold'
          ? {
              stepEndsAt: new Date(
                deps.clock.now().getTime() + decided.holdSeconds * 1000,
              ).toISOString(),
            }
          : {}),
        judgements: [
          ...t.judgements,
          recordOf(judgement, alarms, release, traffic, from, to, decided, alarmLine),
        ],
      }));
      deps.logger.info('step judged', {
        deploymentId,
        step: traffic.step,
        outcome: judgement.outcome,
        next: decided.next,
        reason: decided.reason ?? judgement.reason,
      });
      return decided;
    },
    (state) => `step ${state.step + 1}: ${state.next}${state.reason ? ` — ${state.reason}` : ''}`,
  );
}

/** `aborted by alice during step 2 (25% to the new version)`. */
export function abortReason(by: string, traffic: Pick<TrafficState, 'step' | 'weight'>): string {
  return `aborted by ${by} during step ${traffic.step + 1} (${percentOf(traffic.weight)} to the new version)`;
}

/** The line of an alarm that fails the step, or null. */
function alarmFailure(
  alarms: readonly AlarmState[],
  release: ReleasePlan,
  step: number,
): string | null {
  const firing = alarms.filter((a) => a.state === 'ALARM');
  const failing = firing.filter(
    (a) =>
      !release.alarmsAtStart.includes(a.name) ||
      // `block`: an alarm that was firing before the release fails its first step.
      (release.preexistingAlarms === 'block' && step === 0),
  );
  if (failing.length === 0) return null;
  return failing.map((a) => `alarm ${a.name} in ALARM (${a.reason})`).join('; ');
}

/** What follows the step. */
function decide(
  judgement: Judgement,
  alarmLine: string | null,
  release: ReleasePlan,
  traffic: TrafficState,
): TrafficState {
  const rollback = (reason: string): TrafficState => ({ ...traffic, next: 'rollback', reason });
  if (alarmLine) return rollback(alarmLine);
  if (judgement.outcome === 'fail') return rollback(judgement.reason);
  if (judgement.outcome === 'too-few-invocations') {
    const policy = release.judge.onTooFewInvocations;
    if (policy === 'rollback') return rollback(judgement.reason);
    if (policy === 'extend') {
      if (traffic.extensions >= release.judge.maxExtensions) {
        return rollback(
          `${judgement.reason}, after the step was held ${traffic.extensions} more time${traffic.extensions === 1 ? '' : 's'}`,
        );
      }
      const step = release.steps[traffic.step];
      return {
        ...traffic,
        next: 'hold',
        extensions: traffic.extensions + 1,
        holdSeconds: (step?.holdSeconds ?? traffic.holdSeconds) + release.settleSeconds,
      };
    }
  }
  const following = release.steps[traffic.step + 1];
  const last = !following || following.weight >= 1;
  const next = last ? (release.approval ? 'approve' : 'activate') : 'shift';
  const { reason: _, ...rest } = traffic;
  return { ...rest, next };
}

/** The judgement as the record keeps it. */
function recordOf(
  judgement: Judgement,
  alarms: readonly AlarmState[],
  release: ReleasePlan,
  traffic: TrafficState,
  from: Date,
  to: Date,
  decided: TrafficState,
  alarmLine: string | null,
): RecordedJudgement {
  const version = (v: Judgement['candidate']) => ({
    version: v.version,
    invocations: v.sample.invocations,
    errors: v.sample.errors,
    throttles: v.sample.throttles,
    durationP90Ms: v.sample.durationP90Ms,
  });
  const action =
    decided.next === 'rollback'
      ? 'rollback'
      : decided.next === 'hold'
        ? 'extend'
        : judgement.outcome === 'too-few-invocations'
          ? 'proceed'
          : 'next';
  return {
    step: traffic.step,
    weight: traffic.weight,
    from: from.toISOString(),
    to: to.toISOString(),
    outcome: alarmLine ? 'fail' : judgement.outcome,
    action,
    reason: alarmLine ? `${judgement.reason}; ${alarmLine}` : judgement.reason,
    candidate: version(judgement.candidate),
    baseline: judgement.baseline ? version(judgement.baseline) : null,
    alarms: alarms.map((a) => ({
      name: a.name,
      state: a.state,
      preexisting: release.alarmsAtStart.includes(a.name),
    })),
  };
}

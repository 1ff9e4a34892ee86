import { z } from 'zod';
import { releasePlanSchema } from '../../core/release-plan.ts';
import { type TrafficState, trafficStateSchema } from '../../core/workflow.ts';
import type { WorkerDeps } from '../deps.ts';
import { withStep } from '../step-recorder.ts';
import { patchTraffic, percentOf } from '../traffic-record.ts';

/** ShiftTraffic's input: the alias, the old and new versions, the plan and where the release is. */
export const shiftTrafficInputSchema = z.object({
  deploymentId: z.string().min(1),
  functionName: z.string().min(1),
  alias: z.string().min(1),
  version: z.string().min(1),
  /** The version the alias ran before (Prepare's `live`). */
  liveVersion: z.string().min(1),
  release: releasePlanSchema,
  /** Empty for the first step; the last step's state after. */
  traffic: trafficStateSchema.partial().optional(),
});

/** ShiftTraffic's input. */
export type ShiftTrafficInput = z.output<typeof shiftTrafficInputSchema>;

/** The ports ShiftTraffic uses. */
export type ShiftTrafficDeps = Pick<WorkerDeps, 'functions' | 'store' | 'clock' | 'logger'>;

/**
 * Moves the alias to the next step's weight: the old version keeps the rest. Each step is one
 * alias update, so a rollback from any step is one update back. Idempotent: re-setting the same
 * weight is a no-op for traffic.
 */
export async function shiftTraffic(
  input: ShiftTrafficInput,
  deps: ShiftTrafficDeps,
): Promise<TrafficState> {
  return withStep(
    deps,
    input.deploymentId,
    'ShiftTraffic',
    async () => {
      const { deploymentId, functionName, alias, version, liveVersion, release } = input;
      const step = input.traffic?.step === undefined ? 0 : input.traffic.step + 1;
      const planned = release.steps[step];
      const now = deps.clock.now();
      // Redeploying what is live published no new version: there is nothing to move.
      if (version === liveVersion || !planned || planned.weight >= 1) {
        return {
          step,
          weight: planned?.weight ?? 1,
          windowFrom: now.toISOString(),
          holdSeconds: 1,
          extensions: 0,
          next: release.approval ? 'approve' : 'activate',
        } satisfies TrafficState;
      }
      await deps.functions.setAliasRouting(functionName, alias, {
        version: liveVersion,
        additional: { version, weight: planned.weight },
      });
      const holdSeconds = planned.holdSeconds + release.settleSeconds;
      await patchTraffic(deps.store, deploymentId, release, (t) => ({
        ...t,
        step,
        weight: planned.weight,
        phase: 'holding',
        extensions: 0,
        stepStartedAt: now.toISOString(),
        stepEndsAt: new Date(now.getTime() + holdSeconds * 1000).toISOString(),
      }));
      deps.logger.info('traffic shifted', {
        deploymentId,
        functionName,
        alias,
        version,
        weight: planned.weight,
        step,
      });
      return {
        step,
        weight: planned.weight,
        windowFrom: now.toISOString(),
        holdSeconds,
        extensions: 0,
        next: 'hold',
      } satisfies TrafficState;
    },
    (state) =>
      state.next === 'hold'
        ? `step ${state.step + 1}: ${percentOf(state.weight)} → version ${input.version}`
        : 'nothing to shift',
  );
}

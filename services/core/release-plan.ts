/**
 * The release plan Prepare makes (`$.prepare.release`): the strategy a deployment uses (its own
 * override, else the function's setting; a rollback always all at once), the steps it means, how
 * each step is judged, approval and provisioned concurrency. One function plans it and one checks
 * it fits the workflow's time limit, so the API and Prepare cannot disagree.
 */
import { z } from 'zod';
import type { Deployment } from './deployment.ts';
import { InvalidRequestError } from './errors.ts';
import {
  explicitReleaseStrategySchema,
  type ReleaseStrategy,
  releaseSchedule,
} from './release-strategy.ts';
import type { FunctionSettings } from './settings.ts';

/** `$.prepare.release`. */
export const releasePlanSchema = z.object({
  strategy: explicitReleaseStrategySchema,
  steps: z.array(z.object({ weight: z.number(), holdSeconds: z.number() })),
  /** More than one step: traffic moves by weights, judged step by step. */
  gradual: z.boolean(),
  /** Someone must approve before the last step. */
  approval: z.boolean(),
  approvalTimeoutSeconds: z.number().int().min(1),
  judge: z.object({
    maxErrorRate: z.number(),
    maxThrottles: z.number(),
    minInvocations: z.number(),
    maxDurationP90Ms: z.number().nullable(),
    maxErrorRateIncrease: z.number().nullable(),
    onTooFewInvocations: z.enum(['extend', 'proceed', 'rollback']),
    maxExtensions: z.number().int().min(0),
  }),
  alarms: z.array(z.string()),
  preexistingAlarms: z.enum(['report', 'block']),
  /** The alarms already in ALARM when the deployment started (Prepare reads them). */
  alarmsAtStart: z.array(z.string()),
  /** Seconds each hold lasts beyond its step so that the step's metrics are complete. */
  settleSeconds: z.number().int().min(0),
  /** Initialized environments to put on the new version before the smoke; 0: none. */
  provisionedConcurrency: z.number().int().min(0),
  provisioningTimeoutSeconds: z.number().int().min(1),
  provisioningPollSeconds: z.number().int().min(1),
});

/** `$.prepare.release`. */
export type ReleasePlan = z.output<typeof releasePlanSchema>;

/** What the platform adds to every plan. */
export interface ReleaseTimings {
  readonly settleSeconds: number;
  readonly provisioningPollSeconds: number;
}

/** The strategy a deployment releases with. */
export function strategyOf(
  deployment: Pick<Deployment, 'trigger' | 'request'>,
  settings: Pick<FunctionSettings, 'release'>,
): ReleaseStrategy {
  // A rollback restores a release that already carried traffic: at once, without a canary.
  if (deployment.trigger.kind === 'rollback') return { strategy: 'all-at-once' };
  return deployment.request.release ?? settings.release;
}

/** Plans the release of a deployment of a function with these settings. */
export function planRelease(
  deployment: Pick<Deployment, 'trigger' | 'request'>,
  settings: FunctionSettings,
  timings: ReleaseTimings,
  alarmsAtStart: readonly string[] = [],
): ReleasePlan {
  const strategy = strategyOf(deployment, settings);
  const steps = releaseSchedule(strategy);
  const rollback = deployment.trigger.kind === 'rollback';
  const { judge } = settings;
  return {
    strategy,
    steps,
    gradual: steps.length > 1,
    approval: settings.approval.required && !rollback,
    approvalTimeoutSeconds: settings.approval.timeoutSeconds,
    judge: {
      maxErrorRate: judge.maxErrorRate,
      maxThrottles: judge.maxThrottles,
      minInvocations: judge.minInvocations,
      maxDurationP90Ms: judge.maxDurationP90Ms,
      maxErrorRateIncrease: judge.maxErrorRateIncrease,
      onTooFewInvocations: judge.onTooFewInvocations,
      maxExtensions: judge.maxExtensions,
    },
    alarms: [...judge.alarms],
    preexistingAlarms: judge.preexistingAlarms,
    alarmsAtStart: [...alarmsAtStart],
    settleSeconds: timings.settleSeconds,
    provisionedConcurrency: settings.provisionedConcurrency,
    provisioningTimeoutSeconds: settings.provisioningTimeoutSeconds,
    provisioningPollSeconds: timings.provisioningPollSeconds,
  };
}

// What the rest of an execution may take besides the release's waits: build, scan, update, smoke.
const OTHER_STEPS_SECONDS = 3600 + 1800;

/** The longest a plan's waits can take: provisioning, every step held with every extension, approval. */
export function releaseBudgetSeconds(plan: ReleasePlan): number {
  const holds = plan.steps
    .filter((step) => step.holdSeconds > 0)
    .reduce((total, step) => total + step.holdSeconds + plan.settleSeconds, 0);
  const extensions = plan.judge.onTooFewInvocations === 'extend' ? plan.judge.maxExtensions : 0;
  return (
    (plan.provisionedConcurrency > 0 ? plan.provisioningTimeoutSeconds : 0) +
    holds * (1 + extensions) +
    (plan.approval ? plan.approvalTimeoutSeconds : 0)
  );
}

/** InvalidRequestError when the plan could outlast the workflow's time limit. */
export function requireReleaseFits(plan: ReleasePlan, workflowTimeoutSeconds: number): void {
  const budget = releaseBudgetSeconds(plan);
  if (budget === 0) return;
  const room = workflowTimeoutSeconds - OTHER_STEPS_SECONDS;
  if (budget > room) {
    throw new InvalidRequestError(
      `this release could take ${budget} s (steps held with extensions, approval, provisioning), more than the ${room} s a deployment has for them: use fewer or shorter steps, fewer extensions or a shorter approval timeout`,
      { field: 'release' },
    );
  }
}

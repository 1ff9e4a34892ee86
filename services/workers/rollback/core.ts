import { z } from 'zod';
import { isFerryError, RollbackFailedError } from '../../core/errors.ts';
import { parseImageRef, pinnedUri } from '../../core/image-ref.ts';
import type { FunctionConfig } from '../../core/ports.ts';
import { releasePlanSchema } from '../../core/release-plan.ts';
import {
  caughtErrorSchema,
  caughtLine,
  decisionResultSchema,
  prepareResultSchema,
  smokeOutcomeSchema,
  trafficStateSchema,
  updateResultSchema,
} from '../../core/workflow.ts';
import type { WorkerDeps } from '../deps.ts';
import { abortReason } from '../judge-step/core.ts';
import { withStep } from '../step-recorder.ts';
import { patchTraffic } from '../traffic-record.ts';

/** Rollback's input: the whole workflow state; only these parts are read. */
export const rollbackInputSchema = z.object({
  deploymentId: z.string().min(1),
  prepare: prepareResultSchema
    .pick({ functionName: true, alias: true, live: true, latest: true })
    .extend({ release: releasePlanSchema.optional() }),
  image: z.object({ digest: z.string() }).optional(),
  update: updateResultSchema.optional(),
  smoke: smokeOutcomeSchema.optional(),
  /**
   * Where a gradual release was; `next: rollback` carries the judge's reason. Empty when the
   * first ShiftTraffic failed (the Pass before it seeds `{}`).
   */
  traffic: trafficStateSchema.partial().optional(),
  /** An abort that ended a hold or the approval wait. */
  decision: decisionResultSchema.optional(),
  /** Activate found an abort recorded and did not move the alias. */
  activate: z.object({ aborted: z.boolean().optional() }).passthrough().optional(),
  /** The approval wait timed out. */
  approvalTimedOut: caughtErrorSchema.optional(),
  error: caughtErrorSchema.optional(),
});

/** Rollback's input. */
export type RollbackInput = z.output<typeof rollbackInputSchema>;

/** What Rollback returns (`$.rollback`). */
export interface RollbackResult {
  /** What this run put back, one line each (empty when nothing had changed). */
  readonly restored: string[];
  /** Why the deployment was rolled back. */
  readonly reason: string;
  /**
   * How the deployment ends (the ASL's Choice after Rollback reads it): REJECTED when a gate
   * failed on a working version (traffic never moved), ROLLED_BACK otherwise.
   */
  readonly outcome: 'REJECTED' | 'ROLLED_BACK';
}

/** The ports Rollback uses. */
export type RollbackDeps = Pick<WorkerDeps, 'functions' | 'store' | 'clock' | 'logger' | 'options'>;

/**
 * Puts back what this deployment changed — the alias first (traffic), then $LATEST — and
 * verifies the result; RollbackFailedError when the function is not as it was. Idempotent:
 * a re-run finds nothing left to restore.
 */
export async function rollback(input: RollbackInput, deps: RollbackDeps): Promise<RollbackResult> {
  return withStep(
    deps,
    input.deploymentId,
    'Rollback',
    async () => {
      const reason = await rollbackReasonOf(input, deps);
      const ours = input.image?.digest ?? digestOfUri(input.update?.imageUri) ?? null;
      const alias = await restoreAlias(input, ours, deps);
      const latest = await restoreLatest(input, ours, deps);
      await verify(input, { aliasCreated: alias.created, latestChanged: latest.length > 0 }, deps);
      const provisioning = await removeNewProvisioning(input, deps);
      const restored = [...alias.restored, ...latest, ...provisioning];
      const outcome = input.smoke?.verdict === 'reject' ? 'REJECTED' : 'ROLLED_BACK';
      const release = input.prepare.release;
      if (release && (release.gradual || release.approval || release.provisionedConcurrency > 0)) {
        await patchTraffic(deps.store, input.deploymentId, release, (t) => ({
          ...t,
          weight: 0,
          phase: 'rolled-back',
        }));
      }
      await deps.store.update(input.deploymentId, { reason });
      deps.logger.info('rolled back', {
        deploymentId: input.deploymentId,
        functionName: input.prepare.functionName,
        restored,
        reason,
        outcome,
      });
      return { restored, reason, outcome };
    },
    (result) =>
      result.restored.length > 0 ? `restored ${result.restored.join(', ')}` : 'nothing to restore',
  );
}

/**
 * Why the deployment is rolled back: an abort first, whoever saw it (the wait it ended, or
 * JudgeStep and Activate reading the record), with its author; else rollbackReason.
 */
async function rollbackReasonOf(input: RollbackInput, deps: RollbackDeps): Promise<string> {
  // An abort ended a wait (the decision), or was found by JudgeStep or Activate (the record).
  const by =
    input.decision?.action === 'abort'
      ? input.decision.by
      : (await deps.store.get(input.deploymentId))?.abort?.by;
  if (!by) return rollbackReason(input);
  const at = stepOf(input.traffic);
  if (at) return abortReason(by, at);
  return input.decision
    ? `aborted by ${by} while awaiting approval`
    : `aborted by ${by} before traffic moved`;
}

type StepAt = { step: number; weight: number };

/** The step a release was at, or null before the first step moved any traffic. */
function stepOf(traffic: RollbackInput['traffic']): StepAt | null {
  return traffic?.step !== undefined && traffic.weight !== undefined
    ? { step: traffic.step, weight: traffic.weight }
    : null;
}

/** The new version's provisioned concurrency goes; the old version's is left as it was. */
async function removeNewProvisioning(input: RollbackInput, deps: RollbackDeps): Promise<string[]> {
  const version = input.update?.version;
  const requested = input.prepare.release?.provisionedConcurrency ?? 0;
  if (!version || requested === 0 || version === input.prepare.live?.version) return [];
  await deps.functions.deleteProvisionedConcurrency(input.prepare.functionName, version);
  return [`provisioned concurrency removed from version ${version}`];
}

/** Why the deployment is rolled back: an abort, the judge, the approval wait, the smoke, else the caught error. */
export function rollbackReason(
  input: Pick<
    RollbackInput,
    'smoke' | 'error' | 'traffic' | 'decision' | 'approvalTimedOut' | 'prepare'
  >,
): string {
  if (input.decision?.action === 'abort') {
    const at = stepOf(input.traffic);
    return at
      ? abortReason(input.decision.by, at)
      : `aborted by ${input.decision.by} while awaiting approval`;
  }
  if (input.approvalTimedOut) {
    const seconds = input.prepare.release?.approvalTimeoutSeconds;
    return `not approved within ${seconds ?? 'the'} s: rolled back`;
  }
  const at = stepOf(input.traffic);
  if (at && input.traffic?.next === 'rollback' && input.traffic.reason) {
    return `step ${at.step + 1} failed: ${input.traffic.reason}`;
  }
  if (input.smoke && !input.smoke.passed) return input.smoke.reason ?? 'the smoke invoke failed';
  if (input.error) return caughtLine(input.error);
  return 'rolled back without a recorded cause';
}

/** Moves the alias back to the live version; reports an alias this deployment created. */
async function restoreAlias(
  input: RollbackInput,
  ours: string | null,
  deps: RollbackDeps,
): Promise<{ restored: string[]; created: boolean }> {
  const { functionName, alias, live } = input.prepare;
  // The whole routing: a weighted split to the new version is traffic too, and setAlias clears it.
  const routing = await deps.functions.getAliasRouting(functionName, alias);
  const current = routing?.version ?? null;
  if (live?.version) {
    if (current === live.version && !routing?.additional) return { restored: [], created: false };
    await deps.functions.setAlias(functionName, alias, live.version);
    const split = routing?.additional
      ? ` (${Math.round(routing.additional.weight * 100)}% to version ${routing.additional.version} removed)`
      : '';
    return { restored: [`alias ${alias} → version ${live.version}${split}`], created: false };
  }
  if (current === null) return { restored: [], created: false };
  // The alias did not exist before: if it now runs our image, Activate created it.
  const config = await deps.functions.getFunction(functionName, current);
  const created = current === input.update?.version || (ours !== null && runs(config, ours));
  return { restored: [], created };
}

/** Points $LATEST back at the previous image when it runs ours (or a restore of it failed). */
async function restoreLatest(
  input: RollbackInput,
  ours: string | null,
  deps: RollbackDeps,
): Promise<string[]> {
  const { functionName, latest } = input.prepare;
  if (ours === null || latest.digest === ours) return [];
  const { functions, options } = deps;
  const restoredLine = `$LATEST → ${latest.digest}`;
  let current = await functions.getFunction(functionName);
  const inFlight =
    current.lastUpdateStatus === 'InProgress' &&
    (runs(current, ours) || runs(current, latest.digest));
  if (inFlight) {
    // UpdateFunction's bounded wait ran out, or an earlier attempt's restore is still going:
    // let that update end before deciding.
    current = await settle(functionName, deps);
    if (runs(current, latest.digest) && current.lastUpdateStatus === 'Successful') {
      return [restoredLine];
    }
  }
  const failedRestore = runs(current, latest.digest) && current.lastUpdateStatus === 'Failed';
  if (!runs(current, ours) && !failedRestore) return [];
  if (!latest.digest || !latest.imageUri) {
    throw new RollbackFailedError(
      `$LATEST of ${functionName} runs this deployment's image ${ours} and Prepare recorded no previous image to restore: update its code by hand to the image it ran before`,
    );
  }
  const previous = pinnedUri(parseImageRef(latest.imageUri), latest.digest);
  await functions.updateCode(functionName, previous, current.revisionId);
  await functions.waitUntilUpdated(functionName, options.updateMaxWaitSeconds);
  deps.logger.info('latest restored', { deploymentId: input.deploymentId, functionName, previous });
  return [restoredLine];
}

/** $LATEST once its update in progress ends; a Failed end is a state to act on, not an error here. */
async function settle(functionName: string, deps: RollbackDeps): Promise<FunctionConfig> {
  try {
    return await deps.functions.waitUntilUpdated(functionName, deps.options.updateMaxWaitSeconds);
  } catch (error) {
    if (!isFerryError(error, 'FunctionUpdateFailedError')) throw error;
    return deps.functions.getFunction(functionName);
  }
}

/** Checks the function is as it was; RollbackFailedError naming each difference and its fix. */
async function verify(
  input: RollbackInput,
  changes: { aliasCreated: boolean; latestChanged: boolean },
  deps: RollbackDeps,
): Promise<void> {
  const { functionName, alias, live, latest } = input.prepare;
  const problems: string[] = [];
  if (live?.version) {
    const now = await deps.functions.getAliasRouting(functionName, alias);
    if (now?.version !== live.version || now.additional) {
      const at = now === null ? 'nothing' : `version ${now.version}`;
      const split = now?.additional
        ? ` with ${Math.round(now.additional.weight * 100)}% to version ${now.additional.version}`
        : '';
      problems.push(
        `alias ${alias} points at ${at}${split}, expected version ${live.version} alone ` +
          `(aws lambda update-alias --function-name ${functionName} --name ${alias} --function-version ${live.version} --routing-config AdditionalVersionWeights={})`,
      );
    }
  } else if (changes.aliasCreated) {
    problems.push(
      `alias ${alias} did not exist before this deployment and now runs its image; Ferry does not delete aliases ` +
        `(aws lambda delete-alias --function-name ${functionName} --name ${alias})`,
    );
  }
  if (changes.latestChanged) {
    const now = await deps.functions.getFunction(functionName);
    if (!runs(now, latest.digest) || now.lastUpdateStatus !== 'Successful') {
      problems.push(
        `$LATEST runs ${digestOfUri(now.resolvedImageUri) ?? now.imageUri} (${now.lastUpdateStatus}), expected ${latest.digest} ` +
          `(aws lambda update-function-code --function-name ${functionName} --image-uri ${latest.imageUri})`,
      );
    }
  }
  if (problems.length > 0) {
    throw new RollbackFailedError(
      `rollback of ${functionName} did not restore the previous release: ${problems.join('; ')}`,
    );
  }
}

/** The digest an image URI names, or null. */
function digestOfUri(uri: string | null | undefined): string | null {
  const at = uri ? uri.lastIndexOf('@') : -1;
  return uri && at >= 0 ? uri.slice(at + 1) : null;
}

/** True when the configuration's image (resolved or as configured) is `digest`. */
function runs(config: FunctionConfig, digest: string | null): boolean {
  if (digest === null) return false;
  return digestOfUri(config.resolvedImageUri) === digest || digestOfUri(config.imageUri) === digest;
}

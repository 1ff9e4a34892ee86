import { z } from 'zod';
import {
  BUILD_SCAN_LINES,
  buildFailureReason,
  buildFailureSummary,
  type FailedBuild,
  failedBuildOf,
} from '../../core/build-failure.ts';
import type { Deployment, DeploymentPatch, TerminalStatus } from '../../core/deployment.ts';
import { describeError, isFerryError } from '../../core/errors.ts';
import { parseImageRef } from '../../core/image-ref.ts';
import { liveReleaseOf } from '../../core/live.ts';
import { countDeploymentEnded } from '../../core/metrics.ts';
import type { BuildLogPage } from '../../core/ports.ts';
import { releasePlanSchema } from '../../core/release-plan.ts';
import {
  type CaughtError,
  caughtErrorSchema,
  caughtLine,
  causeMessage,
  finalMarkSchema,
  prepareResultSchema,
  smokeOutcomeSchema,
} from '../../core/workflow.ts';
import type { WorkerDeps } from '../deps.ts';
import { withStep } from '../step-recorder.ts';
import { patchTraffic } from '../traffic-record.ts';

/** Finalize's input: the whole workflow state; only these parts are read. */
export const finalizeInputSchema = z.object({
  deploymentId: z.string().min(1),
  final: finalMarkSchema,
  /** Absent when Prepare itself failed. */
  prepare: prepareResultSchema
    .pick({ functionName: true, imageRef: true, candidateTag: true })
    .extend({
      live: z.object({ version: z.string().nullable() }).passthrough().nullable().optional(),
      release: releasePlanSchema.optional(),
    })
    .optional(),
  update: z.object({ version: z.string() }).passthrough().optional(),
  scan: z.object({ verdict: z.string(), reasons: z.array(z.string()) }).optional(),
  smoke: smokeOutcomeSchema.optional(),
  error: caughtErrorSchema.optional(),
  rollbackError: caughtErrorSchema.optional(),
  rollback: z.object({ restored: z.array(z.string()), reason: z.string() }).optional(),
});

/** Finalize's input. */
export type FinalizeInput = z.output<typeof finalizeInputSchema>;

/** What Finalize returns (`$.finalized`); the execution's Fail state uses `reason` as its cause. */
export interface FinalizeResult {
  readonly status: TerminalStatus;
  /** Why it did not succeed; null for SUCCEEDED. */
  readonly reason: string | null;
}

/** The ports Finalize uses. */
export type FinalizeDeps = Pick<
  WorkerDeps,
  | 'store'
  | 'registry'
  | 'functions'
  | 'notifier'
  | 'claims'
  | 'clock'
  | 'logger'
  | 'metrics'
  | 'buildLogs'
>;

/**
 * Ends a deployment: writes its final status and reason, releases the function lock, deletes
 * the build's candidate tag, logs `deployment finalized` and notifies. Every attempt that gets
 * this far does all of it, so a retry after a failure anywhere in between still announces the
 * outcome: a written status is never rewritten, the notifiers' claims send each message once,
 * and the log line is counted once per deployment. A retryable notification failure is thrown
 * last, so the workflow retries Finalize with the outcome already recorded.
 */
export async function finalize(input: FinalizeInput, deps: FinalizeDeps): Promise<FinalizeResult> {
  const { deploymentId, final } = input;
  const status = final.outcome;
  const build = final.failedStep === 'Build' ? await failedBuild(input, deps) : null;
  const reason = build?.reason ?? finalReason(input);
  const deployment = await deps.store.get(deploymentId);
  if (!deployment) {
    deps.logger.error('deployment record missing', { deploymentId, status, reason });
    if (input.prepare) await deps.store.releaseLock(input.prepare.functionName, deploymentId);
    return { status, reason: 'deployment record missing' };
  }
  if (final.failedStep === 'Build') await recordBuildFailure(deployment, input.error, build, deps);
  await withStep(
    deps,
    deploymentId,
    'Finalize',
    async () => {
      const recorded =
        deployment.status === status
          ? deployment
          : await deps.store.update(deploymentId, statusPatch(input, reason, deps));
      // On every attempt (a retry after a later failure must still record it), before the lock
      // is released: the next deployment of the function reads what is live from here.
      if (status === 'SUCCEEDED') await recordLive(recorded, deps);
      await deps.store.releaseLock(deployment.functionName, deploymentId);
      if (status === 'SUCCEEDED') await retireOldProvisioning(input, deps);
      // Every outcome drops the candidate tag: a released digest keeps its ferry-release-* tag,
      // and a candidate tag left on it would let a lifecycle rule expire a live image.
      if (input.prepare?.candidateTag) await deleteCandidate(input.prepare, deploymentId, deps);
      const written = await countOnce(deploymentId, status, deps);
      deps.logger.info('deployment finalized', { deploymentId, status, reason, written });
      // Counted where the line is counted: once per deployment, whichever attempt gets here first.
      if (written) countDeploymentEnded(deps.metrics, status);
      await notify(deploymentId, status, deps);
    },
    () => status,
  );
  return { status, reason };
}

/**
 * Once a release has ended SUCCEEDED, the version it replaced no longer needs its provisioned
 * concurrency. Best effort: a configuration left behind costs money, never traffic, so a failure
 * is logged for someone to remove it rather than failing a deployment that is live.
 */
async function retireOldProvisioning(input: FinalizeInput, deps: FinalizeDeps): Promise<void> {
  const release = input.prepare?.release;
  const old = input.prepare?.live?.version;
  const functionName = input.prepare?.functionName;
  if (!release || release.provisionedConcurrency === 0 || !old || !functionName) return;
  if (old === input.update?.version) return;
  try {
    await deps.functions.deleteProvisionedConcurrency(functionName, old);
    await patchTraffic(deps.store, input.deploymentId, release, (t) =>
      t.provisionedConcurrency
        ? { ...t, provisionedConcurrency: { ...t.provisionedConcurrency, removedFrom: old } }
        : t,
    );
  } catch (error) {
    deps.logger.warn('old version keeps its provisioned concurrency', {
      deploymentId: input.deploymentId,
      functionName,
      version: old,
      fix: `aws lambda delete-provisioned-concurrency-config --function-name ${functionName} --qualifier ${old}`,
      ...describeError(error),
    });
  }
}

/** Records the release a SUCCEEDED deployment made live (its alias now serves it). */
async function recordLive(deployment: Deployment, deps: FinalizeDeps): Promise<void> {
  const live = liveReleaseOf(deployment, await deps.store.getLive(deployment.functionName));
  if (live) await deps.store.putLive(live);
  else deps.logger.warn('succeeded without a recorded release', { deploymentId: deployment.id });
}

/** The one-sentence reason for the outcome (null when it succeeded). */
export function finalReason(input: FinalizeInput): string | null {
  switch (input.final.outcome) {
    case 'SUCCEEDED':
      return null;
    case 'REJECTED':
      // A cold-start gate rejects after the smoke (the alias never moved); a size gate at the scan.
      if (input.smoke?.verdict === 'reject') return input.smoke.reason ?? 'a smoke gate failed';
      return input.scan?.reasons.join('; ') || 'the image did not pass the scan gate';
    case 'FAILED':
      return input.error ? caught(input.error) : 'the workflow failed without a recorded error';
    case 'ROLLED_BACK':
      return input.rollback?.reason ?? originalReason(input);
    case 'ROLLBACK_FAILED': {
      const how = input.rollbackError ? ` (${caught(input.rollbackError)})` : '';
      return `rollback failed${how} after: ${originalReason(input)}`;
    }
  }
}

/** Why the workflow went to Rollback: the failed smoke, else the caught error. */
function originalReason(input: FinalizeInput): string {
  if (input.smoke && !input.smoke.passed) return input.smoke.reason ?? 'the smoke invoke failed';
  if (input.error) return caught(input.error);
  return 'no cause was recorded';
}

function caught(error: CaughtError): string {
  return caughtLine(error);
}

function statusPatch(input: FinalizeInput, reason: string | null, deps: FinalizeDeps) {
  const status = input.final.outcome;
  const failure =
    status === 'FAILED' ? input.error : status === 'ROLLBACK_FAILED' ? input.rollbackError : null;
  const patch: DeploymentPatch = {
    status,
    ...(reason !== null ? { reason } : {}),
    ...(failure ? { error: { name: failure.Error, message: causeMessage(failure) } } : {}),
    endedAt: deps.clock.now().toISOString(),
  };
  return patch;
}

/** A failed build as Finalize records it: its parts, its log link and the reason quoting its log. */
interface BuildFailure {
  readonly build: FailedBuild;
  /** The log's last lines read. */
  readonly lines: readonly string[];
  readonly link: string | undefined;
  readonly reason: string;
}

/**
 * The failed build in the Build Task's Cause, with the last lines of its log. Reading the log is
 * best effort: a reason without the lines beats a deployment left unfinished.
 */
async function failedBuild(input: FinalizeInput, deps: FinalizeDeps): Promise<BuildFailure | null> {
  const build = failedBuildOf(input.error?.Cause);
  if (!build) return null;
  let page: BuildLogPage | null = null;
  try {
    page = await deps.buildLogs.read(build.id, { tail: BUILD_SCAN_LINES });
  } catch (error) {
    deps.logger.warn('build log not read', {
      deploymentId: input.deploymentId,
      buildId: build.id,
      ...describeError(error),
    });
  }
  const link = page?.link ?? build.link;
  const lines = page?.lines ?? [];
  return { build, lines, link, reason: buildFailureReason(build, lines) };
}

/** Records the Build step (CodeBuild has no worker of ours to record it) as failed. */
async function recordBuildFailure(
  deployment: Deployment,
  error: CaughtError | undefined,
  failure: BuildFailure | null,
  deps: FinalizeDeps,
): Promise<void> {
  const existing = deployment.steps.find((s) => s.name === 'Build');
  if (existing?.outcome === 'failed') return;
  const prepared = deployment.steps.find((s) => s.name === 'Prepare');
  const now = deps.clock.now().toISOString();
  await deps.store.recordStep(deployment.id, {
    name: 'Build',
    startedAt: existing?.startedAt ?? prepared?.endedAt ?? now,
    endedAt: now,
    outcome: 'failed',
    attempts: existing?.attempts ?? 1,
    detail: failure
      ? buildFailureSummary(failure.build, failure.lines)
      : error
        ? caught(error)
        : 'the build failed',
  });
  const patch: DeploymentPatch = {
    ...(failure?.link && !deployment.buildLogsUrl ? { buildLogsUrl: failure.link } : {}),
    ...(failure && !deployment.buildId ? { buildId: failure.build.id } : {}),
  };
  if (Object.keys(patch).length > 0) await deps.store.update(deployment.id, patch);
}

/** Deletes a build's candidate tag (the image stays while a release tag holds it). Best-effort. */
async function deleteCandidate(
  prepare: NonNullable<FinalizeInput['prepare']>,
  deploymentId: string,
  deps: FinalizeDeps,
): Promise<void> {
  const tag = prepare.candidateTag;
  if (!tag) return;
  try {
    await deps.registry.deleteTag(parseImageRef(prepare.imageRef).repository, tag);
    deps.logger.info('candidate tag deleted', { deploymentId, tag });
  } catch (error) {
    // A leftover tag costs storage, not correctness: ECR lifecycle rules can sweep it.
    deps.logger.warn('candidate tag not deleted', { deploymentId, tag, ...describeError(error) });
  }
}

/**
 * Whether this attempt's `deployment finalized` line is the deployment's counted one (`written:
 * true`, which the metric filters and the RollbackFailed alarm read): the first attempt to get
 * here claims it, so a retry after a failed attempt still counts and one after a complete attempt
 * does not count twice. It is logged before notifying, so the alarm never waits on Slack. When the
 * claim cannot be taken, the line counts: a doubled count is better than a silent alarm.
 */
async function countOnce(
  deploymentId: string,
  status: TerminalStatus,
  deps: FinalizeDeps,
): Promise<boolean> {
  try {
    return await deps.claims.claim({ channel: 'finalized', deploymentId, status });
  } catch (error) {
    deps.logger.warn('finalized line claim failed', {
      deploymentId,
      status,
      ...describeError(error),
    });
    return true;
  }
}

/**
 * Sends the status notification. A retryable notifier failure (TransientError) is thrown, so the
 * workflow retries Finalize and the retry sends what did not go out (claims keep the rest from
 * going twice); any other notifier failure is logged, not thrown: retrying would not help, and a
 * notification never changes a deployment's outcome. Reading the record is a store call like
 * the others: its errors go to the ASL.
 */
async function notify(deploymentId: string, status: TerminalStatus, deps: FinalizeDeps) {
  const deployment = await deps.store.get(deploymentId);
  if (!deployment) return;
  try {
    await deps.notifier.notify({ deployment, status, critical: status === 'ROLLBACK_FAILED' });
  } catch (error) {
    if (isFerryError(error, 'TransientError')) throw error;
    deps.logger.error('notification failed', { deploymentId, status, ...describeError(error) });
  }
}

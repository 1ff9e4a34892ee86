/**
 * The workflow's state contract: what each worker returns and where the ASL keeps it
 * (`ResultPath`). Workers downstream parse these shapes, so they are defined once here.
 *
 * State object: { deploymentId, prepare, build?, image, scan, promote, update, provisioning?,
 *                 smoke, traffic?, decision?, activate, error?, rollback?, rollbackError?,
 *                 final, finalized }
 */
import { z } from 'zod';
import { coldStartSampleSchema } from './cold-start.ts';
import { releasePlanSchema } from './release-plan.ts';
import { DEFAULT_COLD_START } from './settings.ts';

const release = z.object({
  version: z.string().nullable(),
  digest: z.string().nullable(),
  imageUri: z.string().nullable(),
});

/** `$.prepare`: the plan Prepare makes from the deployment, the settings and the target. */
export const prepareResultSchema = z.object({
  deploymentId: z.string(),
  functionName: z.string(),
  architecture: z.enum(['x86_64', 'arm64']),
  alias: z.string(),
  mode: z.enum(['source', 'image']),
  /** What ResolveImage resolves: the requested image, or the build's candidate tag. */
  imageRef: z.string(),
  /** `ferry-candidate-<id>` on the source path, else null. */
  candidateTag: z.string().nullable(),
  /** CodeBuild `EnvironmentVariablesOverride` (source path); request values only travel here. */
  build: z
    .object({
      environment: z.array(
        z.object({ Name: z.string(), Value: z.string(), Type: z.literal('PLAINTEXT') }),
      ),
    })
    .nullable(),
  /** $LATEST as found, and its revision for the conditional update. */
  latest: release.extend({ revisionId: z.string() }),
  /** The version behind the alias (null when the alias does not exist yet). */
  live: release.nullable(),
  policy: z.object({
    sizeBudgetBytes: z.number(),
    maxGrowthRatio: z.number().nullable(),
    /** False for a rollback: growth gates report, only hard limits block (older states: true). */
    enforceGrowth: z.boolean().default(true),
  }),
  smoke: z.object({
    payload: z.unknown(),
    expectStatusCode: z.number().optional(),
    expectJsonSubset: z.unknown().optional(),
    maxInitGrowthRatio: z.number().optional(),
    minInitDeltaMs: z.number(),
    /** The live release's Init Duration from its live record, when known. */
    liveInitDurationMs: z.number().nullable(),
    /** Cold starts to measure (defaults for states an older Prepare wrote). */
    samples: z.number().int().min(1).default(DEFAULT_COLD_START.samples),
    inconclusiveBlocks: z.boolean().default(DEFAULT_COLD_START.inconclusiveBlocks),
    /** The live release's recorded cold starts (a single figure for older records), when known. */
    liveColdStarts: coldStartSampleSchema.nullable().default(null),
    /** The version behind the alias: measured beside the new one where the platform can. */
    liveVersion: z.string().nullable().default(null),
    /** False for a rollback: the cold-start gate reports, never blocks. */
    enforceGrowth: z.boolean().default(true),
  }),
  /** Tags Promote gives the digest. */
  releaseTags: z.array(z.string()),
  /** How traffic moves once the smoke passed. */
  release: releasePlanSchema,
});
/** `$.prepare`. */
export type PrepareResult = z.infer<typeof prepareResultSchema>;

/** `$.build`: selected from CodeBuild's `Build` by the ASL's ResultSelector. */
export const buildResultSchema = z.object({
  id: z.string(),
  startTime: z.union([z.string(), z.number()]).optional(),
  endTime: z.union([z.string(), z.number()]).optional(),
  logs: z.object({ deepLink: z.string().optional() }).passthrough().optional(),
});
/** `$.build`. */
export type BuildResult = z.infer<typeof buildResultSchema>;

/** `$.image`: the image to release, pinned by digest from here on. */
export const resolvedImageSchema = z.object({
  registry: z.string().optional(),
  repository: z.string(),
  digest: z.string(),
  /** `registry/repository@sha256:…` */
  uri: z.string(),
  mediaType: z.string(),
});
/** `$.image`. */
export type ResolvedImage = z.infer<typeof resolvedImageSchema>;

/** `$.update`: the version UpdateFunction published. */
export const updateResultSchema = z.object({
  version: z.string(),
  codeSha256: z.string(),
  imageUri: z.string(),
});
/** `$.update`. */
export type UpdateResult = z.infer<typeof updateResultSchema>;

/** `$.smoke`, the part Rollback and Finalize route on: passed, and why not (`fail` / `reject`). */
export const smokeOutcomeSchema = z.object({
  passed: z.boolean(),
  /** `reject`: a gate failed on a working version (→ REJECTED); absent in older states. */
  verdict: z.enum(['pass', 'fail', 'reject']).optional(),
  reason: z.string().optional(),
});

/** `$.provisioning`: the new version's provisioned concurrency while ProvisionConcurrency polls. */
export const provisioningResultSchema = z.object({
  version: z.string(),
  requested: z.number().int(),
  status: z.enum(['IN_PROGRESS', 'READY', 'FAILED']),
  requestedAt: z.string(),
});
/** `$.provisioning`. */
export type ProvisioningResult = z.infer<typeof provisioningResultSchema>;

/**
 * `$.traffic`: where a gradual release is, written by ShiftTraffic and JudgeStep. `next` routes
 * the Choice after JudgeStep; `holdSeconds` is the next hold's TimeoutSecondsPath.
 */
export const trafficStateSchema = z.object({
  step: z.number().int().min(0),
  weight: z.number(),
  /** When the current step's traffic began (the judged window's start). */
  windowFrom: z.string(),
  holdSeconds: z.number().int().min(1),
  extensions: z.number().int().min(0),
  next: z.enum(['hold', 'shift', 'approve', 'activate', 'rollback']),
  /** Why `next` is rollback: the judge's or the alarm's line. */
  reason: z.string().optional(),
});
/** `$.traffic`. */
export type TrafficState = z.infer<typeof trafficStateSchema>;

/** `$.decision`: how a hold or the approval wait ended early (the callback's output). */
export const decisionResultSchema = z.object({
  action: z.enum(['approve', 'abort']),
  by: z.string(),
});

/** `$.error` / `$.rollbackError`: what a Catch stores. On AWS `Cause` is a JSON string. */
export const caughtErrorSchema = z.object({
  Error: z.string(),
  Cause: z.unknown().optional(),
});
/** A caught error. */
export type CaughtError = z.infer<typeof caughtErrorSchema>;

/**
 * The error local mode's restart puts in `$.error` of a deployment Ferry stopped in the middle of
 * (local/recovery.ts). Nothing in the ASL catches it by name; its Cause is the whole reason.
 */
export const FERRY_STOPPED = 'FerryStopped';

/** A caught error as one line of a reason: `<name>: <message>`, a FerryStopped Cause as it is. */
export function caughtLine(error: CaughtError): string {
  if (error.Error === FERRY_STOPPED) return causeMessage(error);
  return `${error.Error}: ${causeMessage(error)}`;
}

/** `$.final`: set by the Mark* Pass states before Finalize. */
export const finalMarkSchema = z.object({
  outcome: z.enum(['SUCCEEDED', 'REJECTED', 'FAILED', 'ROLLED_BACK', 'ROLLBACK_FAILED']),
  /** Set when the failing step has no worker to record itself (Build). */
  failedStep: z.string().optional(),
});
/** `$.final`. */
export type FinalMark = z.infer<typeof finalMarkSchema>;

/** The candidate tag a source build pushes. */
export function candidateTag(deploymentId: string): string {
  return `ferry-candidate-${deploymentId}`;
}

/** The tag Promote gives a released digest. */
export function releaseTag(deploymentId: string): string {
  return `ferry-release-${deploymentId}`;
}

/**
 * A caught error's message: Lambda's `Cause` is JSON `{ errorType, errorMessage }` on AWS
 * (a string), CodeBuild's is the failed build; locally it may be a plain string.
 */
export function causeMessage(error: CaughtError): string {
  let cause: unknown = error.Cause;
  if (typeof cause === 'string') {
    try {
      cause = JSON.parse(cause);
    } catch {
      return (cause as string) || error.Error;
    }
  }
  if (cause && typeof cause === 'object') {
    const c = cause as Record<string, unknown>;
    if (typeof c.errorMessage === 'string') return c.errorMessage;
    if (typeof c.message === 'string') return c.message;
    if (typeof c.BuildStatus === 'string')
      return `build ${String(c.Id ?? '')} ended ${c.BuildStatus}`.trim();
  }
  return error.Error;
}

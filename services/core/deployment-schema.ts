/**
 * The deployment record as zod schemas: the one source of its types (deployment.ts infers them),
 * of the store's read schemas and of the API's response schemas. Plain zod, without
 * @hono/zod-openapi's extension: the workers import it too, and names and descriptions given with
 * `.meta()` / `.describe()` reach the OpenAPI document all the same.
 */
import { z } from 'zod';
import { DEPLOYMENT_STATUSES } from './deployment.ts';
import { explicitReleaseStrategySchema } from './release-strategy.ts';
import { scanReportSchema, smokeReportSchema } from './reports.ts';
import { WORKER_STEPS } from './steps.ts';

/** Source to build from: an https git URL or an s3:// archive. */
export const sourceSpecSchema = z.object({
  url: z.string(),
  ref: z.string().optional().describe('Git ref (branch, tag or commit) for git sources'),
  dockerfile: z
    .string()
    .optional()
    .describe('Dockerfile path relative to the context (default `Dockerfile`)'),
  context: z
    .string()
    .optional()
    .describe('Build context path relative to the source root (default `.`)'),
  buildArgs: z.record(z.string(), z.string()).optional(),
});

/** What asked for the deployment. */
export const triggerSchema = z.object({
  kind: z.enum(['api', 'cli', 'slack', 'ecr', 'registry', 'rollback']),
  actor: z.string().optional().describe("Principal ARN, token's team member, Slack user…"),
  eventId: z.string().optional().describe('The event id for ecr/registry triggers'),
});

/** One step of a deployment, with its timings. */
export const stepRecordSchema = z
  .object({
    name: z.enum([...WORKER_STEPS, 'Build']),
    startedAt: z.string(),
    endedAt: z.string().optional(),
    outcome: z.enum(['running', 'succeeded', 'failed']),
    attempts: z
      .number()
      .int()
      .min(0)
      .describe('How many times the step started (retries included)'),
    detail: z
      .string()
      .optional()
      .describe('One line: the error for a failed step, a summary otherwise'),
  })
  .meta({ id: 'Step' });

/** The release a deployment replaces or produces. */
export const releaseSchema = z.object({
  version: z.string().nullable(),
  digest: z.string().nullable(),
  imageUri: z.string().nullable(),
});

/** One version's figures in a judged window. */
export const judgedVersionSchema = z.object({
  version: z.string(),
  invocations: z.number(),
  errors: z.number(),
  throttles: z.number(),
  durationP90Ms: z.number().nullable(),
});

/** An alarm as a step saw it. */
export const judgedAlarmSchema = z.object({
  name: z.string(),
  state: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
  preexisting: z.boolean().describe('Already in ALARM when the deployment started'),
});

/** The judge's verdict on one step of a gradual release. */
export const trafficJudgementSchema = z
  .object({
    step: z.number().int().describe('Index of the step in `traffic.steps`'),
    weight: z.number().describe("The new version's share during the step"),
    from: z.string(),
    to: z.string(),
    outcome: z.enum(['pass', 'fail', 'too-few-invocations']),
    action: z
      .enum(['next', 'extend', 'proceed', 'rollback'])
      .describe(
        'What followed: the next step, the same step held again, on without a verdict, rollback',
      ),
    reason: z.string(),
    candidate: judgedVersionSchema,
    baseline: judgedVersionSchema.nullable(),
    alarms: z.array(judgedAlarmSchema),
  })
  .meta({ id: 'TrafficJudgement' });

/** Provisioned concurrency of the new version, as the release saw it. */
export const provisioningSchema = z.object({
  version: z.string(),
  requested: z.number().int(),
  status: z.enum(['IN_PROGRESS', 'READY', 'FAILED']),
  requestedAt: z.string(),
  readyAt: z.string().optional(),
  /** The old version's configuration, removed when the release ended. */
  removedFrom: z.string().optional(),
});

/** How the deployment moves traffic and where it is (absent before the smoke passed). */
export const trafficSchema = z
  .object({
    strategy: explicitReleaseStrategySchema,
    steps: z.array(z.object({ weight: z.number(), holdSeconds: z.number() })),
    step: z.number().int().describe('Index of the current step'),
    weight: z.number().describe("The new version's share of the alias now, 0 to 1"),
    phase: z.enum([
      'provisioning',
      'holding',
      'judging',
      'awaiting-approval',
      'complete',
      'rolled-back',
    ]),
    stepStartedAt: z.string().optional(),
    stepEndsAt: z.string().optional(),
    extensions: z.number().int().describe('Times the current step was held again'),
    judgements: z.array(trafficJudgementSchema),
    provisionedConcurrency: provisioningSchema.optional(),
    preexistingAlarms: z.array(z.string()).describe('Alarms in ALARM when the deployment started'),
  })
  .meta({ id: 'Traffic' });

/** Who decided, and when. */
export const decisionSchema = z.object({ by: z.string(), at: z.string() });

/** A deployment record; unknown fields are dropped, but for those of the scan and smoke reports. */
export const deploymentSchema = z.object({
  id: z.string(),
  functionName: z.string(),
  status: z.enum(DEPLOYMENT_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string(),
  team: z.string().optional(),
  trigger: triggerSchema,
  request: z.object({
    image: z.string().optional(),
    source: sourceSpecSchema.optional(),
    reason: z.string().optional(),
    release: explicitReleaseStrategySchema
      .optional()
      .describe("This deployment's release strategy, overriding the function's settings"),
  }),
  steps: z.array(stepRecordSchema).describe('Steps in the order they started'),
  previous: releaseSchema.optional().describe('What was live before (set by Prepare)'),
  release: releaseSchema
    .extend({ repository: z.string().optional() })
    .optional()
    .describe(
      'What this deployment releases (digest from ResolveImage, version from UpdateFunction)',
    ),
  scan: scanReportSchema.optional(),
  smoke: smokeReportSchema.optional(),
  traffic: trafficSchema.optional(),
  approval: decisionSchema.optional().describe('Who approved the last step'),
  abort: decisionSchema.optional().describe('Who aborted the deployment'),
  buildLogsUrl: z.string().optional(),
  buildId: z.string().optional().describe("The source build's id (CodeBuild's, or local mode's)"),
  reason: z
    .string()
    .optional()
    .describe('Why it did not succeed, one sentence a person can act on'),
  error: z.object({ name: z.string(), message: z.string() }).optional(),
  endedAt: z.string().optional(),
  imageCollectedAt: z
    .string()
    .optional()
    .describe("When `ferry gc` removed the release's image from the registry (ISO 8601)"),
  versionCollectedAt: z
    .string()
    .optional()
    .describe("When `ferry gc` deleted the release's published version (ISO 8601)"),
  imageArchived: z
    .boolean()
    .optional()
    .describe(
      "With imageCollectedAt: `ferry gc` moved the image to the registry's archive tier (restorable) rather than deleting it",
    ),
});

/** The fields a worker may change on a deployment record (DeploymentPatch): stores refuse others. */
export const DEPLOYMENT_PATCH_FIELDS = [
  'status',
  'team',
  'previous',
  'release',
  'scan',
  'smoke',
  'traffic',
  'approval',
  'abort',
  'buildLogsUrl',
  'buildId',
  'reason',
  'error',
  'endedAt',
  'imageCollectedAt',
  'versionCollectedAt',
  'imageArchived',
] as const satisfies readonly (keyof z.output<typeof deploymentSchema>)[];

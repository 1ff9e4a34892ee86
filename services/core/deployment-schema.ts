/**
 * The deployment record as zod schemas: the one source of its types (deployment.ts infers them),
 * of the store's read schemas and of the API's response schemas. Plain zod, without
 * @hono/zod-openapi's extension: the workers import it too, and names and descriptions given with
 * `.meta()` / `.describe()` reach the OpenAPI document all the same.
 */
import { z } from 'zod';
import { DEPLOYMENT_STATUSES } from './deployment.ts';
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
  buildLogsUrl: z.string().optional(),
  reason: z
    .string()
    .optional()
    .describe('Why it did not succeed, one sentence a person can act on'),
  error: z.object({ name: z.string(), message: z.string() }).optional(),
  endedAt: z.string().optional(),
});

/** The fields a worker may change on a deployment record (DeploymentPatch): stores refuse others. */
export const DEPLOYMENT_PATCH_FIELDS = [
  'status',
  'team',
  'previous',
  'release',
  'scan',
  'smoke',
  'buildLogsUrl',
  'reason',
  'error',
  'endedAt',
] as const satisfies readonly (keyof z.output<typeof deploymentSchema>)[];

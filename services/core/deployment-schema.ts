/**
 * The Deployment record as a zod schema, for reading it back from storage. The interfaces in
 * deployment.ts stay the types everyone uses; the assertion at the end keeps the two identical.
 */
import { z } from 'zod';
import { DEPLOYMENT_STATUSES, type Deployment, type DeploymentPatch } from './deployment.ts';
import type { Assert, SameShape } from './same-shape.ts';
import { WORKER_STEPS } from './steps.ts';

/** One step's record. */
export const stepRecordSchema = z.object({
  name: z.enum([...WORKER_STEPS, 'Build']),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  outcome: z.enum(['running', 'succeeded', 'failed']),
  attempts: z.number().int().min(0),
  detail: z.string().optional(),
});

const gateResultSchema = z.object({
  gate: z.enum(['size-growth', 'init-growth']),
  outcome: z.enum(['passed', 'failed', 'not-evaluated', 'off']),
  unit: z.enum(['bytes', 'ms']),
  value: z.number().nullable(),
  live: z.number().nullable(),
  ratio: z.number().nullable(),
  delta: z.number().nullable(),
  maxRatio: z.number().nullable(),
  minDelta: z.number().nullable(),
  summary: z.string(),
});

const releaseSchema = z.object({
  version: z.string().nullable(),
  digest: z.string().nullable(),
  imageUri: z.string().nullable(),
});

// The reports keep fields this version has no name for (a newer worker's figures): the web page
// shows them as extra facts. Elsewhere unknown fields are dropped.
const scanReportSchema = z.looseObject({
  verdict: z.enum(['pass', 'reject']),
  reasons: z.array(z.string()),
  mediaType: z.string(),
  architecture: z.string().nullable(),
  compressedBytes: z.number(),
  uncompressedBytes: z.number().nullable(),
  layerCount: z.number(),
  largestLayers: z.array(
    z.object({
      digest: z.string(),
      sizeBytes: z.number(),
      index: z.number().optional(),
      createdBy: z.string().optional(),
      fromBase: z.boolean().optional(),
    }),
  ),
  budgetBytes: z.number(),
  liveCompressedBytes: z.number().nullable(),
  growthRatio: z.number().nullable(),
  maxGrowthRatio: z.number().nullable(),
  baseImage: z.string().nullable().optional(),
  gates: z.array(gateResultSchema).optional(),
  hints: z.array(z.string()).optional(),
});

const smokeReportSchema = z.looseObject({
  passed: z.boolean(),
  verdict: z.enum(['pass', 'fail', 'reject']).optional(),
  version: z.string().optional(),
  reason: z.string().optional(),
  statusCode: z.number(),
  functionError: z.string().optional(),
  responseExcerpt: z.string(),
  initDurationMs: z.number().nullable(),
  durationMs: z.number().nullable(),
  maxMemoryUsedMb: z.number().nullable(),
  gates: z.array(gateResultSchema).optional(),
});

/** A deployment record; unknown fields are dropped, but for those of the scan and smoke reports. */
export const deploymentSchema = z.object({
  id: z.string(),
  functionName: z.string(),
  status: z.enum(DEPLOYMENT_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string(),
  team: z.string().optional(),
  trigger: z.object({
    kind: z.enum(['api', 'cli', 'slack', 'ecr', 'registry', 'rollback']),
    actor: z.string().optional(),
    eventId: z.string().optional(),
  }),
  request: z.object({
    image: z.string().optional(),
    source: z
      .object({
        url: z.string(),
        ref: z.string().optional(),
        dockerfile: z.string().optional(),
        context: z.string().optional(),
        buildArgs: z.record(z.string(), z.string()).optional(),
      })
      .optional(),
    reason: z.string().optional(),
  }),
  steps: z.array(stepRecordSchema),
  previous: releaseSchema.optional(),
  release: releaseSchema.extend({ repository: z.string().optional() }).optional(),
  scan: scanReportSchema.optional(),
  smoke: smokeReportSchema.optional(),
  buildLogsUrl: z.string().optional(),
  reason: z.string().optional(),
  error: z.object({ name: z.string(), message: z.string() }).optional(),
  endedAt: z.string().optional(),
});

/** The fields a patch may change (DeploymentPatch's keys, checked below): stores refuse others. */
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
] as const;

/** Proof that deploymentSchema and Deployment have the same shape (fails to compile otherwise). */
export type DeploymentSchemaMatches = Assert<
  SameShape<z.output<typeof deploymentSchema>, Deployment>
>;

/** Proof that DEPLOYMENT_PATCH_FIELDS lists exactly DeploymentPatch's keys. */
export type PatchFieldsMatch = Assert<
  SameShape<(typeof DEPLOYMENT_PATCH_FIELDS)[number], keyof DeploymentPatch>
>;

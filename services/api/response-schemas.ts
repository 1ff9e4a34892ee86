/**
 * Response schemas: they document what the API returns (the OpenAPI document is generated from
 * them); responses are built from the domain types in services/core/deployment.ts.
 */
import { z } from '@hono/zod-openapi';
import { DEPLOYMENT_STATUSES } from '../core/deployment.ts';

const status = z.enum(DEPLOYMENT_STATUSES);

/** Where a client goes next from a deployment. */
export const linksSchema = z
  .object({
    self: z.string().openapi({ example: '/v1/deployments/d-01JDX3Q4ZJ8M2V7N5K1R9T6W3A' }),
    history: z.string().openapi({ example: '/v1/functions/orders-api/deployments' }),
    function: z.string().openapi({ example: '/v1/functions/orders-api' }),
  })
  .openapi('Links');

/** The answer to an accepted deployment (202), or to an Idempotency-Key replay (200). */
export const acceptedSchema = z
  .object({ id: z.string(), status, links: linksSchema })
  .openapi('Accepted');

const release = z.object({
  version: z.string().nullable(),
  digest: z.string().nullable(),
  imageUri: z.string().nullable(),
  repository: z.string().optional(),
});

const step = z.object({
  name: z.string().openapi({ example: 'SmokeInvoke' }),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  outcome: z.enum(['running', 'succeeded', 'failed']),
  attempts: z.number().int(),
  detail: z.string().optional(),
});

const gate = z
  .object({
    gate: z.enum(['size-growth', 'init-growth']),
    outcome: z.enum(['passed', 'failed', 'not-evaluated', 'off']),
    unit: z.enum(['bytes', 'ms']),
    value: z.number().nullable().openapi({ description: 'The new release’s figure' }),
    live: z.number().nullable().openapi({ description: 'The live release’s figure' }),
    ratio: z.number().nullable().openapi({ description: 'value / live' }),
    delta: z.number().nullable().openapi({ description: 'value − live' }),
    maxRatio: z.number().nullable(),
    minDelta: z.number().nullable().openapi({ description: 'Noise floor (init-growth)' }),
    summary: z.string().openapi({
      example:
        'Init Duration 900.0 ms vs 200.0 ms live (4.50×, +700.0 ms), limit 1.5× beyond a 50 ms noise floor',
    }),
  })
  .openapi('Gate');

const scan = z.object({
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
      index: z.number().int().optional(),
      createdBy: z.string().optional().openapi({ example: 'RUN apt-get install -y gcc make' }),
      fromBase: z.boolean().optional(),
    }),
  ),
  budgetBytes: z.number(),
  liveCompressedBytes: z.number().nullable(),
  growthRatio: z.number().nullable(),
  maxGrowthRatio: z.number().nullable(),
  baseImage: z.string().nullable().optional(),
  gates: z.array(gate).optional(),
  hints: z.array(z.string()).optional().openapi({
    description: 'Why the image may be big: suggestions naming a layer and its size',
  }),
});

const smoke = z.object({
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
  gates: z.array(gate).optional(),
});

/** A deployment: status, steps with timings, scan and smoke reports, releases, reason, error. */
export const deploymentSchema = z
  .object({
    id: z.string(),
    functionName: z.string(),
    status,
    createdAt: z.string(),
    updatedAt: z.string(),
    endedAt: z.string().optional(),
    team: z.string().optional(),
    trigger: z.object({
      kind: z.enum(['api', 'cli', 'slack', 'ecr', 'registry', 'rollback']),
      actor: z.string().optional(),
      eventId: z.string().optional(),
    }),
    request: z.object({
      image: z.string().optional(),
      source: z.record(z.string(), z.unknown()).optional(),
      reason: z.string().optional(),
    }),
    steps: z.array(step),
    previous: release.optional().openapi({ description: 'What was live before (Prepare)' }),
    release: release.optional().openapi({ description: 'What this deployment releases' }),
    scan: scan.optional(),
    smoke: smoke.optional(),
    buildLogsUrl: z.string().optional(),
    reason: z.string().optional().openapi({ description: 'Why it did not succeed' }),
    error: z.object({ name: z.string(), message: z.string() }).optional(),
    links: linksSchema,
  })
  .openapi('Deployment');

/** A page of a function's history, newest first; `cursor` is absent on the last page. */
export const deploymentPageSchema = z
  .object({ items: z.array(deploymentSchema), cursor: z.string().optional() })
  .openapi('DeploymentPage');

/** What a function serves: the newest SUCCEEDED deployment of its recent history. */
const liveReleaseSchema = z.object({
  deploymentId: z.string(),
  version: z.string().nullable(),
  digest: z.string().nullable(),
  releasedAt: z.string().nullable(),
  compressedBytes: z.number().nullable(),
  initDurationMs: z.number().nullable().openapi({ description: 'null: the runtime reported none' }),
});

/** A function with its live release and latest deployment (`GET /v1/functions`). */
export const functionOverviewSchema = z
  .object({
    name: z.string(),
    team: z.string(),
    alias: z.string(),
    live: liveReleaseSchema.nullable(),
    latest: z
      .object({
        deploymentId: z.string(),
        status,
        createdAt: z.string(),
        reason: z.string().nullable(),
      })
      .nullable(),
    links: z.object({ function: z.string(), history: z.string() }),
  })
  .openapi('FunctionOverview');

/** An RFC 9457 problem; `type` is `urn:ferry:problem:<kind>` and stable per kind. */
export const problemSchema = z
  .object({
    type: z.string().openapi({ example: 'urn:ferry:problem:deployment-in-progress' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'Validation failures, one per field' }),
    holder: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: 'The deployment holding the lock (deployment-in-progress)' }),
  })
  .passthrough()
  .openapi('Problem');

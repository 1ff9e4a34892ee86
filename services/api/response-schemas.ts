/**
 * Response schemas: what the API returns, built from the core schemas the store reads with (the
 * OpenAPI document is generated from them). Only what is the API's own is declared here: links,
 * the accepted answer, the function index's view and the problem document.
 *
 * The core schemas are plain zod, possibly built before @hono/zod-openapi extended zod, so they
 * may lack `.openapi()`: names and descriptions are given with zod's own `.meta()` instead, which
 * the generator reads the same way whichever module was loaded first.
 */
import { z } from '@hono/zod-openapi';
import { deploymentSchema as deploymentRecordSchema } from '../core/deployment-schema.ts';
import { liveReleaseSchema } from '../core/live.ts';
import { queuedRolloutSchema } from '../core/queued-rollout.ts';
import { rolloutRuleRecordSchema } from '../core/rules.ts';
import { slackUserLinkSchema } from '../core/slack-user-link.ts';

const record = deploymentRecordSchema.shape;

/** Where a client goes next from a deployment. */
export const linksSchema = z
  .object({
    self: z.string().meta({ example: '/v1/deployments/d-01JDX3Q4ZJ8M2V7N5K1R9T6W3A' }),
    history: z.string().meta({ example: '/v1/functions/orders-api/deployments' }),
    function: z.string().meta({ example: '/v1/functions/orders-api' }),
    buildLog: z
      .string()
      .optional()
      .meta({ example: '/v1/deployments/d-01JDX3Q4ZJ8M2V7N5K1R9T6W3A/build-log' })
      .describe("A source deployment's build log"),
  })
  .meta({ id: 'Links' });

/** The answer to an accepted deployment (202), or to an Idempotency-Key replay (200). */
export const acceptedSchema = z
  .object({ id: record.id, status: record.status, links: linksSchema })
  .meta({ id: 'Accepted' });

/** A deployment: the stored record (status, steps, reports, releases, reason, error) and links. */
export const deploymentSchema = deploymentRecordSchema
  .extend({ links: linksSchema })
  .meta({ id: 'Deployment' });

/** A page of a function's history, newest first; `cursor` is absent on the last page. */
export const deploymentPageSchema = z
  .object({ items: z.array(deploymentSchema), cursor: z.string().optional() })
  .meta({ id: 'DeploymentPage' });

/** A function's registry pushes waiting to roll out, oldest first (`GET /v1/functions/{name}/rollouts`). */
export const queuedRolloutListSchema = z
  .object({
    items: z.array(
      queuedRolloutSchema
        .omit({ functionName: true, position: true })
        .meta({ id: 'QueuedRollout' }),
    ),
  })
  .meta({ id: 'QueuedRolloutList' });

/** A function with its live release and latest deployment (`GET /v1/functions`). */
export const functionOverviewSchema = z
  .object({
    name: z.string(),
    team: z.string(),
    alias: z.string(),
    live: liveReleaseSchema
      .pick({
        deploymentId: true,
        version: true,
        digest: true,
        releasedAt: true,
        compressedBytes: true,
        initDurationMs: true,
      })
      .nullable()
      .describe('What the alias serves, as far as Ferry released it'),
    latest: z
      .object({
        deploymentId: record.id,
        status: record.status,
        createdAt: record.createdAt,
        reason: record.reason.unwrap().nullable(),
      })
      .nullable()
      .describe('The newest deployment'),
    links: z.object({ function: z.string(), history: z.string() }),
  })
  .meta({ id: 'FunctionOverview' });

/** The function index. */
export const functionListSchema = z
  .object({ items: z.array(functionOverviewSchema) })
  .meta({ id: 'FunctionList' });

/** One line of a function's log. */
export const functionLogEventSchema = z
  .object({
    timestamp: z.string().meta({ example: '2026-12-01T12:00:00.123Z' }),
    version: z.string().meta({ example: '7' }),
    requestId: z.string().optional().describe('The invocation, when known (init output has none)'),
    message: z.string(),
  })
  .meta({ id: 'FunctionLogEvent' });

/** A page of a function's log, oldest first (`GET /v1/functions/{name}/logs`). */
export const functionLogPageSchema = z
  .object({
    events: z.array(functionLogEventSchema),
    cursor: z
      .string()
      .describe('Send it back as `cursor` to get only what came after this page (following)'),
  })
  .meta({ id: 'FunctionLogPage' });

/** Lines of a deployment's build log, oldest first (`GET /v1/deployments/{id}/build-log`). */
export const buildLogPageSchema = z
  .object({
    buildId: z.string().nullable().describe('Null while the build has not started'),
    lines: z.array(z.string()),
    cursor: z
      .string()
      .nullable()
      .describe('Send it back as `cursor` to get only the lines written after these (following)'),
    link: z.string().nullable().describe("The log's console (AWS) or file (local) link"),
  })
  .meta({ id: 'BuildLogPage' });

/** An auto-rollout rule with its repository. */
export const ruleSchema = rolloutRuleRecordSchema.meta({ id: 'Rule' });

/** A Slack user's team; links from the stack's configuration have no `linkedBy`/`linkedAt`. */
export const slackUserLinkResponseSchema = slackUserLinkSchema
  .partial({ linkedBy: true, linkedAt: true })
  .extend({
    source: z
      .enum(['config', 'api'])
      .describe("`config` (the stack's ferry:slackUsers, read-only here) or `api`"),
  })
  .meta({ id: 'SlackUserLink' });

/** Every mapped Slack user. */
export const slackUserLinkListSchema = z.object({ items: z.array(slackUserLinkResponseSchema) });

/** A local bearer token as listed: never the token itself. */
export const tokenInfoSchema = z
  .object({
    id: z.string().describe("The first 12 hex of the token's SHA-256 hash"),
    team: z.string(),
    createdAt: z.string(),
    createdBy: z.string().describe('The principal that made it, or `local mode` at start'),
  })
  .meta({ id: 'Token' });

/** Every local bearer token. */
export const tokenListSchema = z.object({ items: z.array(tokenInfoSchema) });

/** A token just made: the only answer that carries it. */
export const issuedTokenSchema = tokenInfoSchema
  .extend({ token: z.string().describe('The bearer token: shown this once, stored only hashed') })
  .meta({ id: 'IssuedToken' });

/** An RFC 9457 problem; `type` is `urn:ferry:problem:<kind>` and stable per kind. */
export const problemSchema = z
  .looseObject({
    type: z.string().meta({ example: 'urn:ferry:problem:deployment-in-progress' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('Validation failures, one per field'),
    holder: z
      .string()
      .nullable()
      .optional()
      .describe('The deployment holding the lock (deployment-in-progress)'),
  })
  .meta({ id: 'Problem' });

/** Who the caller is, as the API authenticated them (`GET /v1/whoami`). */
export const whoamiSchema = z
  .object({
    principal: z
      .string()
      .describe('Principal ARN (AWS) or token id (local mode): recorded as the actor'),
    team: z.string(),
    admin: z.boolean().describe('The admin team registers functions and may act on every one'),
  })
  .meta({ id: 'Whoami' });

/** One check of `GET /v1/doctor`: `fix` says how to make it pass, on one line, when it fails. */
export const doctorCheckSchema = z
  .object({
    check: z
      .string()
      .describe(
        '`slack`, `registered`, `exists`, `package-type`, `architecture`, `opt-in`, `alias`, `repository`, `lambda-pull`',
      ),
    ok: z.boolean(),
    detail: z.string(),
    fix: z.string().optional(),
  })
  .meta({ id: 'DoctorCheck' });

/** What a first deployment needs, checked (`GET /v1/doctor`). */
export const doctorReportSchema = z
  .object({
    function: z.string().optional(),
    ok: z.boolean().describe('Every check passed'),
    checks: z.array(doctorCheckSchema),
  })
  .meta({ id: 'DoctorReport' });

/**
 * Request and response schemas: the API validates with them and the OpenAPI document is
 * generated from them (@hono/zod-openapi), so the two cannot drift.
 */
import { z } from '@hono/zod-openapi';
import { isGitRef, isRelativePath } from '../core/build-environment.ts';
import { parseRequestedImage } from '../core/image-ref.ts';
import { parseSince, SINCE_FORMS } from '../core/log-since.ts';
import { explicitReleaseStrategySchema, releaseStrategySchema } from '../core/release-strategy.ts';
import { functionSettingsSchema } from '../core/settings.ts';

export {
  acceptedSchema,
  deploymentPageSchema,
  deploymentSchema,
  problemSchema,
} from './response-schemas.ts';

const FUNCTION_NAME = /^[a-zA-Z0-9-_]{1,64}$/;
const FUNCTION_ARN =
  /^arn:aws[a-zA-Z-]*:lambda:[a-z]{2}(-gov)?-[a-z]+-\d{1}:\d{12}:function:([a-zA-Z0-9-_]{1,64})$/;

/** A function name, or a function ARN normalised to its name. */
export const functionNameSchema = z
  .string()
  .max(170)
  .transform((value, ctx) => {
    const name = FUNCTION_NAME.test(value) ? value : FUNCTION_ARN.exec(value)?.[2];
    if (!name) {
      ctx.addIssue({
        code: 'custom',
        message:
          'expected a Lambda function name ([a-zA-Z0-9-_]{1,64}) or a function ARN without a qualifier',
      });
      return z.NEVER;
    }
    return name;
  })
  .openapi({ example: 'orders-api' });

/** `repo[:tag][@sha256:<64 hex>]`, optionally with a registry host. */
export const imageRefSchema = z
  .string()
  .max(512)
  .superRefine((value, ctx) => {
    try {
      parseRequestedImage(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  })
  .openapi({ example: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/orders:v42' });

// The builds' own rules (services/core/build-environment.ts): what the API accepts, a build runs.
const relativePath = z
  .string()
  .min(1)
  .max(256)
  .refine((p) => !p.includes('\\') && isRelativePath(p), {
    message: 'must be a relative path inside the source, without .. and not starting with / or -',
  });

/** True when a path segment of `url` is `.` or `..`, percent-encoded or not. */
const hasDotSegment = (url: string) =>
  url
    .replace(/[?#].*$/, '')
    .split('/')
    .some((segment) => /^(\.|%2e){1,2}$/i.test(segment));

const sourceUrl = z
  .string()
  .max(2048)
  .refine(
    (value) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return false;
      }
      // file:// (a path on the Ferry machine) is refused later unless local mode allows it. The
      // text as given is checked: URL parsing has already resolved `..` (and `%2e%2e`) away.
      if (url.protocol === 'file:') return url.hostname === '' && !hasDotSegment(value);
      return (
        (url.protocol === 'https:' || url.protocol === 's3:') &&
        !url.username &&
        !url.password &&
        url.hostname !== ''
      );
    },
    {
      message:
        'must be an https:// git URL or an s3:// object, without embedded credentials (file:// in local mode only)',
    },
  );

const buildArgs = z
  .record(
    z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'build-arg names are [A-Za-z_][A-Za-z0-9_]*'),
    z
      .string()
      .max(4096)
      .refine((v) => !/[\0\r\n]/.test(v), {
        message: 'build-arg values may not contain NUL or newlines',
      }),
  )
  .refine((r) => Object.keys(r).length <= 50, { message: 'at most 50 build args' });

/** What to build from. */
export const sourceSchema = z
  .strictObject({
    url: sourceUrl,
    ref: z
      .string()
      .min(1)
      .max(255)
      .refine(isGitRef, { message: 'git refs are [A-Za-z0-9._/-] and may not start with - or /' })
      .optional(),
    dockerfile: relativePath.optional(),
    context: relativePath.optional(),
    buildArgs: buildArgs.optional(),
  })
  .openapi('Source');

const reason = z.string().max(500).optional();

/** `POST /v1/deployments` body. */
export const deploymentRequestSchema = z
  .strictObject({
    function: functionNameSchema,
    image: imageRefSchema.optional(),
    source: sourceSchema.optional(),
    reason,
    release: releaseStrategySchema
      .optional()
      .describe(
        "This deployment's release strategy, overriding the function's `release` setting: a CodeDeploy name (`Canary10Percent5Minutes`) or `{ strategy, percent, intervalSeconds }`",
      ),
  })
  .refine((b) => (b.image === undefined) !== (b.source === undefined), {
    message: 'give exactly one of image or source',
    path: ['image'],
  })
  .openapi('DeploymentRequest');

/** `POST /v1/functions/{name}/rollback` body. */
export const rollbackRequestSchema = z
  .strictObject({
    to: z
      .string()
      .regex(/^d-[0-9A-HJKMNP-TV-Z]{26}$/, 'a deployment id (d- and 26 characters)')
      .optional(),
    reason,
  })
  .openapi('RollbackRequest');

/**
 * Function settings as stored (defaults applied). The core schema is plain zod, built before
 * @hono/zod-openapi may have extended zod, so it is used as it is (inlined in the document).
 * `release` is stored in its explicit form (a name given in a PUT is read as the strategy it
 * stands for), so the answer documents that form, not the names a request may use.
 */
export const settingsSchema = functionSettingsSchema.extend({
  release: explicitReleaseStrategySchema.describe(
    'How traffic moves to a new version, in the explicit form',
  ),
});

/** `{name}` path parameter. */
export const functionParamSchema = z.object({
  name: functionNameSchema.openapi({ param: { name: 'name', in: 'path' } }),
});

/** `{id}` path parameter. */
export const deploymentParamSchema = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

/** History query. */
export const historyQuerySchema = z.strictObject({
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

/** Logs query (`GET /v1/functions/{name}/logs`); `since` is read against the server's clock. */
export const logsQuerySchema = z.strictObject({
  version: z
    .string()
    .regex(/^(\$LATEST|[1-9][0-9]{0,9})$/, 'a published version number or $LATEST')
    .optional()
    .openapi({ example: '7' }),
  since: z
    .string()
    .max(40)
    .refine((value) => parseSince(value, new Date()) !== null, {
      message: `must be ${SINCE_FORMS}`,
    })
    .optional()
    .openapi({ description: `Where the tail starts: ${SINCE_FORMS}; default 1h` }),
  cursor: z.string().max(8192).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** `GET /v1/deployments/{id}/build-log` query: a tail, or a page after a cursor (not both). */
export const buildLogQuerySchema = z
  .strictObject({
    tail: z.coerce.number().int().min(1).max(1000).optional().openapi({ example: 10 }),
    cursor: z.string().min(1).max(8192).optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
  })
  .refine((q) => q.tail === undefined || (q.cursor === undefined && q.limit === undefined), {
    message: 'send tail, or cursor and limit, not both',
    path: ['tail'],
  });

/** `GET /v1/doctor` query: the function to check (without it, only the stack's own checks). */
export const doctorQuerySchema = z.strictObject({
  function: functionNameSchema.optional().openapi({ example: 'orders' }),
});

/** `POST /v1/gc`'s request and response schemas (the report is services/app/gc-report.ts's shape). */
import { z } from '@hono/zod-openapi';
import { gcPolicySchema } from '../core/collection-plan.ts';

const policy = gcPolicySchema.shape;

/** A run: dry or not, with optional overrides of the configured policy (same bounds). */
export const gcRequestSchema = z.strictObject({
  dryRun: z.boolean().optional().describe('Plan and report only: nothing is removed or marked'),
  minimumAgeSeconds: policy.minimumAgeSeconds
    .unwrap()
    .optional()
    .describe('Images pushed and versions published more recently are kept (at least 3600)'),
  rollbackDepth: policy.rollbackDepth
    .unwrap()
    .optional()
    .describe('Distinct released digests kept per function, the live one included'),
});

const outcome = z.enum(['deleted', 'gone', 'kept']);

/** What one run did or, dry, would do. */
export const gcReportSchema = z
  .object({
    dryRun: z.boolean(),
    takenAt: z.string(),
    policy: z.object({ minimumAgeSeconds: z.number(), rollbackDepth: z.number() }),
    images: z.array(
      z.object({
        repository: z.string(),
        digest: z.string(),
        tags: z.array(z.string()),
        sizeBytes: z.number(),
        outcome: outcome.optional().describe('Absent on a dry run'),
      }),
    ),
    versions: z.array(
      z.object({
        functionName: z.string(),
        version: z.string(),
        digest: z.string().nullable(),
        outcome: outcome.optional().describe('Absent on a dry run'),
      }),
    ),
    kept: z.object({
      images: z.number(),
      versions: z.number(),
      byRule: z.record(z.string(), z.number()).describe('Kept items per rule that keeps them'),
    }),
    skipped: z
      .array(z.object({ functionName: z.string(), reason: z.string() }))
      .describe('Functions a deployment held: their versions and every image wait for a later run'),
    stopped: z.array(z.string()).describe('Items the re-check under the locks kept'),
    bytesReclaimed: z.number().describe('Compressed bytes of the removed (dry: planned) images'),
    diskBytesReclaimed: z.number().optional().describe('Bytes freed on disk (local mode)'),
    failure: z.string().optional().describe('The error that ended the removals early'),
  })
  .meta({ id: 'GcReport' });

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
  imageRemoval: policy.imageRemoval
    .unwrap()
    .optional()
    .describe(
      "`archive`: move images that go to the registry's archive tier (ECR) instead of deleting them",
    ),
});

export { gcReportSchema } from '../app/gc-report.ts';

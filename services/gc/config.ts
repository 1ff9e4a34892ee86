/** The scheduled gc Lambda's configuration (set by the CDK stack). */
import { z } from 'zod';
import { gcPolicySchema } from '../core/collection-plan.ts';
import { parseStackConfig, stackKeys, stackLambda } from '../core/stack-config.ts';

const policy = gcPolicySchema.shape;

const gcConfigSchema = z.object({
  FERRY_TABLE_NAME: stackKeys.FERRY_TABLE_NAME,
  FERRY_LOCK_TTL_SECONDS: stackKeys.FERRY_LOCK_TTL_SECONDS,
  /** The account that owns the repositories. @default - the Lambda's own */
  FERRY_ECR_REGISTRY_ID: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  /** Distinct released digests kept per function. @default 3 */
  FERRY_GC_ROLLBACK_DEPTH: z.coerce.number().pipe(policy.rollbackDepth.unwrap()).optional(),
  /** Images pushed and versions published more recently are kept. @default 7 days */
  FERRY_GC_MIN_AGE_SECONDS: z.coerce.number().pipe(policy.minimumAgeSeconds.unwrap()).optional(),
  /** `archive`: images that go move to ECR's archive storage class. @default delete */
  FERRY_GC_IMAGE_REMOVAL: policy.imageRemoval.unwrap().optional(),
});

/** The gc Lambda: the keys the CDK stack sets on it. */
export const GC_LAMBDA = stackLambda('gc', gcConfigSchema);

/** The gc Lambda's configuration. */
export type GcConfig = z.output<typeof gcConfigSchema>;

/** Reads and validates the configuration; fails naming every missing or invalid key. Pure. */
export function loadGcConfig(env: Record<string, string | undefined>): GcConfig {
  return parseStackConfig(GC_LAMBDA, env);
}

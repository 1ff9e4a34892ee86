import { z } from 'zod';

const triggerConfigSchema = z.object({
  FERRY_TABLE_NAME: z.string().min(1),
  FERRY_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
  FERRY_ADMIN_TEAM: z.string().min(1).default('platform'),
  FERRY_LOCK_TTL_SECONDS: z.coerce.number().int().min(60),
});

/** The ECR trigger Lambda's configuration (set by the CDK stack). */
export type TriggerConfig = z.output<typeof triggerConfigSchema>;

/**
 * Reads and validates the trigger's configuration; fails at cold start naming every missing or
 * invalid key (the CDK stack sets them all: redeploy the stack if one is missing). Pure.
 */
export function loadTriggerConfig(env: Record<string, string | undefined>): TriggerConfig {
  const parsed = triggerConfigSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const keys = parsed.error.issues.map((i) => `${i.path.join('.')} (${i.message})`).join(', ');
  throw new Error(
    `invalid Ferry trigger configuration: ${keys}; these are set by the CDK stack: redeploy it`,
  );
}

import { z } from 'zod';

const workerConfigSchema = z.object({
  FERRY_TABLE_NAME: z.string().min(1),
  FERRY_BUILD_REPOSITORY_URI: z.string().min(1),
  FERRY_LOCK_TTL_SECONDS: z.coerce.number().int().min(60),
  FERRY_UPDATE_MAX_WAIT_SECONDS: z.coerce.number().int().min(5).max(840).default(600),
  FERRY_ECR_REGISTRY_ID: z
    .string()
    .regex(/^[0-9]{12}$/)
    .optional(),
  /** The Slack secret (`{"webhooks": {...}}`); unset, no Slack notifications. */
  FERRY_SLACK_SECRET_ARN: z.string().startsWith('arn:').optional(),
  /** The bus `Ferry Deployment Status Change` events go to; unset, none are sent. */
  FERRY_EVENT_BUS_NAME: z.string().min(1).optional(),
  /** The API's public URL, for links in notifications. */
  FERRY_PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
});

/** The workers' configuration, from environment variables set by the CDK stack. */
export type WorkerConfig = z.output<typeof workerConfigSchema>;

/**
 * Reads and validates the workers' configuration. Pure: pass the environment. Fails naming every
 * missing or invalid key, so a misconfigured function fails at cold start, not mid-deploy.
 */
export function loadWorkerConfig(env: Record<string, string | undefined>): WorkerConfig {
  const parsed = workerConfigSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const keys = parsed.error.issues.map((i) => `${i.path.join('.')} (${i.message})`).join(', ');
  throw new Error(`invalid Ferry worker configuration: ${keys}`);
}

import { z } from 'zod';
import { parseStackConfig, stackKeys, stackLambda } from './stack-config.ts';

const workerConfigSchema = z.object({
  FERRY_TABLE_NAME: stackKeys.FERRY_TABLE_NAME,
  FERRY_BUILD_REPOSITORY_URI: z.string().min(1),
  FERRY_LOCK_TTL_SECONDS: stackKeys.FERRY_LOCK_TTL_SECONDS,
  FERRY_UPDATE_MAX_WAIT_SECONDS: z.coerce.number().int().min(5).max(840).default(600),
  FERRY_ECR_REGISTRY_ID: z
    .string()
    .regex(/^[0-9]{12}$/)
    .optional(),
  /** Set on the notifying steps: their Slack channels' webhooks are in it. */
  FERRY_SLACK_SECRET_ARN: stackKeys.FERRY_SLACK_SECRET_ARN,
  /** The bus `Ferry Deployment Status Change` events go to; unset, none are sent. */
  FERRY_EVENT_BUS_NAME: z.string().min(1).optional(),
  /** For links in notifications. */
  FERRY_PUBLIC_BASE_URL: stackKeys.FERRY_PUBLIC_BASE_URL,
});

/** The worker Lambdas: the keys the CDK stack sets on them. */
export const WORKER_LAMBDA = stackLambda('worker', workerConfigSchema);

/** The workers' configuration, from environment variables set by the CDK stack. */
export type WorkerConfig = z.output<typeof workerConfigSchema>;

/**
 * Reads and validates the workers' configuration. Pure: pass the environment. Fails naming every
 * missing or invalid key, so a misconfigured function fails at cold start, not mid-deploy.
 */
export function loadWorkerConfig(env: Record<string, string | undefined>): WorkerConfig {
  return parseStackConfig(WORKER_LAMBDA, env);
}

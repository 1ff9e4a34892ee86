import { z } from 'zod';
import { parseStackConfig, stackKeys, stackLambda } from '../core/stack-config.ts';

const triggerConfigSchema = z.object({
  FERRY_TABLE_NAME: stackKeys.FERRY_TABLE_NAME,
  FERRY_STATE_MACHINE_ARN: stackKeys.FERRY_STATE_MACHINE_ARN,
  FERRY_ADMIN_TEAM: stackKeys.FERRY_ADMIN_TEAM,
  FERRY_LOCK_TTL_SECONDS: stackKeys.FERRY_LOCK_TTL_SECONDS,
});

/** The ECR trigger Lambda: the keys the CDK stack sets on it. */
export const TRIGGER_LAMBDA = stackLambda('ECR trigger', triggerConfigSchema);

/** The ECR trigger Lambda's configuration (set by the CDK stack). */
export type TriggerConfig = z.output<typeof triggerConfigSchema>;

/** Reads and validates the trigger's configuration; fails naming every missing or invalid key. Pure. */
export function loadTriggerConfig(env: Record<string, string | undefined>): TriggerConfig {
  return parseStackConfig(TRIGGER_LAMBDA, env);
}

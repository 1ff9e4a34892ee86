/** The ECR trigger's deps on AWS, taken from the AWS runtime's composition root. */
import type { AppDeps } from '../app/deps.ts';
import { awsAppDeps } from '../compose/aws-app-deps.ts';
import { type AwsRuntime, awsRuntime } from '../compose/aws-runtime.ts';
import { TRIGGER_LAMBDA, type TriggerConfig } from './config.ts';
import { triggerTelemetry } from './telemetry.ts';

/** The trigger's deps from a runtime: the use cases' (it starts rollouts as the API does). */
export function triggerDepsFrom(runtime: AwsRuntime<TriggerConfig>): AppDeps {
  return awsAppDeps(runtime, triggerTelemetry.logging.logger);
}

/** Builds the trigger's deps from the environment the stack sets. */
export function awsTriggerDeps(env: Record<string, string | undefined> = process.env): AppDeps {
  return triggerDepsFrom(awsRuntime(TRIGGER_LAMBDA, env));
}

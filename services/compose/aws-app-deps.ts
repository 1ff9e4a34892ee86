import { SFNClient } from '@aws-sdk/client-sfn';
import { StepFunctionsWorkflow } from '../adapters/aws/sfn-workflow.ts';
import type { AppDeps } from '../app/deps.ts';
import type { Logger } from '../core/logger.ts';
import type { Workflow } from '../core/ports.ts';
import { appDeps } from './app-deps.ts';
import type { AwsRuntime, AwsRuntimeConfig } from './aws-runtime.ts';

/** The keys the use cases read on AWS (the API's and the ECR trigger's). */
export interface AwsAppConfig extends AwsRuntimeConfig {
  readonly FERRY_STATE_MACHINE_ARN: string;
  readonly FERRY_ADMIN_TEAM: string;
}

/** The deploy workflow: the stack's state machine through one Step Functions client. */
function stepFunctions(runtime: AwsRuntime<AwsAppConfig>): Workflow {
  return new StepFunctionsWorkflow(new SFNClient({}), runtime.config.FERRY_STATE_MACHINE_ARN);
}

/** The use cases' deps on AWS, for the Lambdas that start deployments (the API, the ECR trigger). */
export function awsAppDeps(runtime: AwsRuntime<AwsAppConfig>, logger: Logger): AppDeps {
  return appDeps({
    store: runtime.store,
    workflow: runtime.part(stepFunctions),
    rules: runtime.rules,
    clock: runtime.clock,
    newId: runtime.newId,
    logger,
    adminTeam: runtime.config.FERRY_ADMIN_TEAM,
    lockTtlSeconds: runtime.config.FERRY_LOCK_TTL_SECONDS,
  });
}

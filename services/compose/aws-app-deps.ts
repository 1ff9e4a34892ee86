import { SFNClient } from '@aws-sdk/client-sfn';
import { SfnWorkflowCallbacks } from '../adapters/aws/sfn-callbacks.ts';
import { StepFunctionsWorkflow } from '../adapters/aws/sfn-workflow.ts';
import type { AppDeps } from '../app/deps.ts';
import type { Logger } from '../core/logger.ts';
import type { Workflow, WorkflowCallbacks } from '../core/ports.ts';
import { appDeps } from './app-deps.ts';
import type { AwsRuntime, AwsRuntimeConfig } from './aws-runtime.ts';

/** The keys the use cases read on AWS (the API's and the ECR trigger's). */
export interface AwsAppConfig extends AwsRuntimeConfig {
  readonly FERRY_STATE_MACHINE_ARN: string;
  readonly FERRY_ADMIN_TEAM: string;
}

/** One Step Functions client per process, for the workflow and its callbacks. */
function sfnClient(): SFNClient {
  return new SFNClient({});
}

/** The deploy workflow: the stack's state machine. */
function stepFunctions(runtime: AwsRuntime<AwsAppConfig>): Workflow {
  return new StepFunctionsWorkflow(runtime.part(sfnClient), runtime.config.FERRY_STATE_MACHINE_ARN);
}

/** The workflow's task-token callbacks (SendTaskSuccess): how approve and abort end its waits. */
function stepFunctionsCallbacks(runtime: AwsRuntime<AwsAppConfig>): WorkflowCallbacks {
  return new SfnWorkflowCallbacks(runtime.part(sfnClient));
}

/** The use cases' deps on AWS, for the Lambdas that start deployments (the API, the ECR trigger). */
export function awsAppDeps(runtime: AwsRuntime<AwsAppConfig>, logger: Logger): AppDeps {
  return appDeps({
    store: runtime.store,
    workflow: runtime.part(stepFunctions),
    callbacks: runtime.part(stepFunctionsCallbacks),
    rules: runtime.rules,
    clock: runtime.clock,
    newId: runtime.newId,
    logger,
    adminTeam: runtime.config.FERRY_ADMIN_TEAM,
    lockTtlSeconds: runtime.config.FERRY_LOCK_TTL_SECONDS,
  });
}

/** The ECR push trigger Lambda (EventBridge `ECR Image Action` → rollouts). */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoRuleStore } from '../adapters/aws/dynamo-rule-store.ts';
import { DynamoDeploymentStore } from '../adapters/aws/dynamo-store.ts';
import { StepFunctionsWorkflow } from '../adapters/aws/sfn-workflow.ts';
import { withInvocation } from '../adapters/powertools/invocation.ts';
import type { LambdaContext } from '../adapters/powertools/powertools-logging.ts';
import type { AppDeps } from '../app/deps.ts';
import { systemClock } from '../core/clock.ts';
import { newDeploymentId } from '../core/ids.ts';
import { loadTriggerConfig } from './config.ts';
import { handleEcrEvent } from './ecr-trigger.ts';
import { eventIdOf, triggerTelemetry } from './telemetry.ts';

function triggerDeps(env: Record<string, string | undefined>): AppDeps {
  const config = loadTriggerConfig(env);
  const dynamo = new DynamoDBClient({});
  return {
    // The trigger never pages history to a caller: a per-process cursor key will do.
    store: new DynamoDeploymentStore(dynamo, {
      tableName: config.FERRY_TABLE_NAME,
      cursorSecret: randomBytes(32).toString('hex'),
    }),
    workflow: new StepFunctionsWorkflow(new SFNClient({}), config.FERRY_STATE_MACHINE_ARN),
    clock: systemClock,
    logger: triggerTelemetry.logging.logger,
    newId: () => newDeploymentId(),
    config: { adminTeam: config.FERRY_ADMIN_TEAM, lockTtlSeconds: config.FERRY_LOCK_TTL_SECONDS },
    rules: new DynamoRuleStore(dynamo, config.FERRY_TABLE_NAME),
  };
}

let deps: AppDeps | undefined;

/** Lambda entry: one EventBridge event per invocation; its lines carry the event's id. */
export const handler = (event: unknown, context: LambdaContext) =>
  withInvocation(triggerTelemetry, context, { correlationId: eventIdOf(event) }, async () => {
    deps ??= triggerDeps(process.env);
    return handleEcrEvent(event, deps);
  });

/** The ECR push trigger Lambda (EventBridge `ECR Image Action` → rollouts). */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoRuleStore } from '../adapters/aws/dynamo-rule-store.ts';
import { DynamoDeploymentStore } from '../adapters/aws/dynamo-store.ts';
import { StepFunctionsWorkflow } from '../adapters/aws/sfn-workflow.ts';
import { withInvocation } from '../adapters/powertools/invocation.ts';
import type { LambdaContext } from '../adapters/powertools/powertools-logging.ts';
import type { ApiDeps } from '../api/deps.ts';
import { systemClock } from '../core/clock.ts';
import { newDeploymentId } from '../core/ids.ts';
import { handleEcrEvent } from './ecr-trigger.ts';
import { eventIdOf, triggerTelemetry } from './telemetry.ts';

function triggerDeps(env: Record<string, string | undefined>): ApiDeps {
  const table = env.FERRY_TABLE_NAME;
  const stateMachine = env.FERRY_STATE_MACHINE_ARN;
  if (!table || !stateMachine)
    throw new Error(
      'invalid Ferry trigger configuration: FERRY_TABLE_NAME and FERRY_STATE_MACHINE_ARN are required',
    );
  const dynamo = new DynamoDBClient({});
  return {
    // The trigger never pages history to a caller: a per-process cursor key will do.
    store: new DynamoDeploymentStore(dynamo, {
      tableName: table,
      cursorSecret: randomBytes(32).toString('hex'),
    }),
    workflow: new StepFunctionsWorkflow(new SFNClient({}), stateMachine),
    authenticator: { authenticate: async () => null },
    clock: systemClock,
    logger: triggerTelemetry.logging.logger,
    newId: () => newDeploymentId(),
    config: {
      adminTeam: env.FERRY_ADMIN_TEAM ?? 'platform',
      lockTtlSeconds: 6000,
      maxBodyBytes: 65536,
    },
    rules: new DynamoRuleStore(dynamo, table),
  };
}

let deps: ApiDeps | undefined;

/** Lambda entry: one EventBridge event per invocation; its lines carry the event's id. */
export const handler = (event: unknown, context: LambdaContext) =>
  withInvocation(triggerTelemetry, context, { correlationId: eventIdOf(event) }, async () => {
    deps ??= triggerDeps(process.env);
    return handleEcrEvent(event, deps);
  });

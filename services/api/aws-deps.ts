/** The API's deps on AWS: clients built once per cold start. Only handler.ts imports this. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoRuleStore } from '../adapters/aws/dynamo-rule-store.ts';
import { DynamoSlackUserLinks } from '../adapters/aws/dynamo-slack-users.ts';
import { DynamoDeploymentStore } from '../adapters/aws/dynamo-store.ts';
import { StepFunctionsWorkflow } from '../adapters/aws/sfn-workflow.ts';
import { slackSecretReader } from '../adapters/aws/slack-secret.ts';
import { iamAuthenticator } from '../auth/iam-authenticator.ts';
import { systemClock } from '../core/clock.ts';
import { newDeploymentId } from '../core/ids.ts';
import { loadApiConfig } from './config.ts';
import type { ApiDeps, SlackChatopsConfig } from './deps.ts';
import { apiTelemetry } from './telemetry.ts';

/** Builds the API's deps from the environment the stack sets. */
export function awsApiDeps(env: Record<string, string | undefined> = process.env): ApiDeps {
  const config = loadApiConfig(env);
  const logger = apiTelemetry.logging.logger;
  const dynamo = new DynamoDBClient({});
  const store = new DynamoDeploymentStore(dynamo, {
    tableName: config.FERRY_TABLE_NAME,
    cursorSecret: config.FERRY_CURSOR_SECRET,
  });
  return {
    store,
    rules: new DynamoRuleStore(dynamo, config.FERRY_TABLE_NAME),
    slackUsers: new DynamoSlackUserLinks(dynamo, config.FERRY_TABLE_NAME),
    ...(config.FERRY_SLACK_SECRET_ARN
      ? { slack: slackChatops(config.FERRY_SLACK_SECRET_ARN, config.FERRY_SLACK_USERS) }
      : {}),
    workflow: new StepFunctionsWorkflow(new SFNClient({}), config.FERRY_STATE_MACHINE_ARN),
    authenticator: iamAuthenticator(config.FERRY_PRINCIPAL_TEAMS, config.FERRY_ADMIN_TEAM),
    clock: systemClock,
    logger,
    newId: () => newDeploymentId(),
    config: {
      adminTeam: config.FERRY_ADMIN_TEAM,
      lockTtlSeconds: config.FERRY_LOCK_TTL_SECONDS,
      maxBodyBytes: 65536,
      idempotencyTtlSeconds: 86400,
      ...(config.FERRY_PUBLIC_BASE_URL ? { publicBaseUrl: config.FERRY_PUBLIC_BASE_URL } : {}),
    },
  };
}

/** Slash commands on AWS: the signing secret from Secrets Manager (cached, re-read after rotation). */
function slackChatops(secretArn: string, users: Record<string, string>): SlackChatopsConfig {
  const read = slackSecretReader(new SecretsManagerClient({}), secretArn);
  return {
    users,
    signingSecret: async () => {
      const { signingSecret } = await read();
      if (!signingSecret) throw new Error('the Slack secret has no signingSecret yet');
      return signingSecret;
    },
  };
}

/**
 * The workers' deps on AWS: real clients built once per cold start (module scope), shared by
 * every invocation of the Lambda. Only handlers import this file; cores never do.
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { allNotifiers } from '../adapters/all-notifiers.ts';
import { DynamoMessageClaims } from '../adapters/aws/dynamo-message-claims.ts';
import { DynamoDeploymentStore } from '../adapters/aws/dynamo-store.ts';
import { EcrRegistry } from '../adapters/aws/ecr-registry.ts';
import { EventBridgeNotifier } from '../adapters/aws/eventbridge-notifier.ts';
import { LambdaFunctions } from '../adapters/aws/lambda-functions.ts';
import { slackSecretReader } from '../adapters/aws/slack-secret.ts';
import { LogNotifier } from '../adapters/log-notifier.ts';
import { notifyOnce } from '../adapters/notify-once.ts';
import { SlackReplyNotifier } from '../adapters/slack/reply-notifier.ts';
import { SlackWebhookNotifier } from '../adapters/slack/slack-notifier.ts';
import { systemClock } from '../core/clock.ts';
import type { WorkerConfig } from '../core/config.ts';
import { loadWorkerConfig } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import type { DeploymentStore, MessageClaims, Notifier } from '../core/ports.ts';
import type { WorkerDeps } from './deps.ts';
import { workerTelemetry } from './telemetry.ts';

let deps: WorkerDeps | undefined;

/** The workers' deps, built on first use from the environment the stack sets. */
export function awsWorkerDeps(env: Record<string, string | undefined> = process.env): WorkerDeps {
  if (deps) return deps;
  const config = loadWorkerConfig(env);
  const logger = workerTelemetry.logging.logger;
  const dynamo = new DynamoDBClient({});
  const store = new DynamoDeploymentStore(dynamo, {
    tableName: config.FERRY_TABLE_NAME,
    // Workers read only first pages; their cursors never leave the process, so a per-process key will do.
    cursorSecret: randomBytes(32).toString('hex'),
  });
  const claims = new DynamoMessageClaims(dynamo, { tableName: config.FERRY_TABLE_NAME });
  deps = {
    store,
    registry: new EcrRegistry(new ECRClient({}), { registryId: config.FERRY_ECR_REGISTRY_ID }),
    functions: new LambdaFunctions(new LambdaClient({})),
    notifier: notifiers(config, store, claims, logger),
    claims,
    clock: systemClock,
    logger,
    metrics: workerTelemetry.metrics,
    options: {
      lockTtlSeconds: config.FERRY_LOCK_TTL_SECONDS,
      updateMaxWaitSeconds: config.FERRY_UPDATE_MAX_WAIT_SECONDS,
      buildRepositoryUri: config.FERRY_BUILD_REPOSITORY_URI,
    },
  };
  return deps;
}

/**
 * Every notifier the configuration enables: a log line always; Slack (channel webhooks from the
 * Slack secret, and replies to slash commands) when the secret is configured; EventBridge status
 * events when a bus is named. Each sends a (deployment, status) once, through its own claims.
 */
function notifiers(
  config: WorkerConfig,
  store: DeploymentStore,
  claims: MessageClaims,
  logger: Logger,
): Notifier {
  const once = { claims, logger };
  const all: Notifier[] = [notifyOnce('log', new LogNotifier(logger), once)];
  const base = config.FERRY_PUBLIC_BASE_URL?.replace(/\/+$/, '');
  const link = base ? { linkFor: (id: string) => `${base}/deployments/${id}` } : {};
  if (config.FERRY_SLACK_SECRET_ARN) {
    const slack = slackSecretReader(new SecretsManagerClient({}), config.FERRY_SLACK_SECRET_ARN);
    all.push(
      new SlackWebhookNotifier({
        webhookFor: async (channel) => {
          const { webhooks } = await slack();
          return Object.hasOwn(webhooks, channel) ? webhooks[channel] : undefined;
        },
        store,
        claims,
        logger,
        ...link,
      }),
    );
  }
  // Replies need no secret: the API stored a Slack response_url with the deployment, or nothing.
  all.push(new SlackReplyNotifier({ store, claims, logger, ...link }));
  if (config.FERRY_EVENT_BUS_NAME) {
    const events = new EventBridgeNotifier(new EventBridgeClient({}), config.FERRY_EVENT_BUS_NAME);
    all.push(notifyOnce('event', events, once));
  }
  return allNotifiers(...all);
}

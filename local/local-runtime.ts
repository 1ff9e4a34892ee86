/**
 * Local mode's composition root: from the processes start.ts has running (dynalite, the
 * registry, the function host), one set of parts — the store, the claims, the clock, the logger,
 * the admin team and the lock lifetime, each named once here — yields both the workers' deps
 * (behind the in-process workflow) and the API's. The shapes are the ones the AWS root builds
 * (services/compose), so the two runtimes cannot drift apart.
 */
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoMessageClaims } from '../services/adapters/aws/dynamo-message-claims.ts';
import { DynamoRolloutQueue } from '../services/adapters/aws/dynamo-rollout-queue.ts';
import { DynamoRuleStore } from '../services/adapters/aws/dynamo-rule-store.ts';
import { DynamoSlackUserLinks } from '../services/adapters/aws/dynamo-slack-users.ts';
import { DynamoDeploymentStore } from '../services/adapters/aws/dynamo-store.ts';
import { DynamoTokenStore } from '../services/adapters/aws/dynamo-token-store.ts';
import { deploymentNotifier } from '../services/adapters/deployment-notifier.ts';
import { LocalAlarms } from '../services/adapters/local/local-alarms.ts';
import { LocalBuildLogs } from '../services/adapters/local/local-build-logs.ts';
import { OciRegistry } from '../services/adapters/local/oci-registry.ts';
import { LogMetrics } from '../services/adapters/log-metrics.ts';
import type { ApiDeps, SlackChatopsConfig } from '../services/api/deps.ts';
import { tokenAuthenticator } from '../services/auth/token-authenticator.ts';
import { apiDeps, appDeps } from '../services/compose/app-deps.ts';
import { systemClock } from '../services/core/clock.ts';
import { newDeploymentId } from '../services/core/ids.ts';
import type { Logger } from '../services/core/logger.ts';
import type {
  DeploymentStore,
  FunctionLogs,
  Functions,
  RolloutQueue,
  TokenStore,
  VersionHealth,
} from '../services/core/ports.ts';
import type { WorkerDeps } from '../services/workers/deps.ts';
import { deployLockTtlSeconds } from '../statemachine/substitutions.ts';
import { createBuildahBuilder } from './buildah-builder.ts';
import { ExecutionJournal } from './execution-journal.ts';
import { InProcessWorkflow } from './in-process-workflow.ts';
import { LocalWorkflowCallbacks } from './workflow-callbacks.ts';
import { type Builder, createLocalWorkflow, type LocalWorkflow } from './workflow-runner.ts';

/** The team that registers functions and may act on every one, in local mode. */
export const LOCAL_ADMIN_TEAM = 'platform';

/** Local mode's Slack settings (on AWS they come from Secrets Manager and cdk.json). */
export interface LocalSlackOptions {
  /** Turns on `/v1/chatops/slack` (`FERRY_SLACK_SIGNING_SECRET`). */
  readonly signingSecret?: string;
  /** Slack user id → team (`FERRY_SLACK_USERS`, JSON). */
  readonly users?: Readonly<Record<string, string>>;
  /** Notify channel → incoming-webhook URL (`FERRY_SLACK_WEBHOOKS`, JSON). */
  readonly webhooks?: Readonly<Record<string, string>>;
  /** Origins replies may go to. @default ['https://hooks.slack.com'] */
  readonly replyOrigins?: readonly string[];
}

/** What the local root is built from: the running processes' handles and local mode's settings. */
export interface LocalRuntimeParts {
  /** dynalite's client; the table must exist before the first request. */
  readonly dynamo: DynamoDBClient;
  readonly tableName: string;
  /** Signs history cursors; kept in FERRY_HOME so cursors survive restarts. */
  readonly cursorSecret: string;
  /** Signs the registry's push notifications (`/v1/hooks/registry`). */
  readonly hookSecret: string;
  /** The local registry: `http://127.0.0.1:<port>` and `127.0.0.1:<port>`. */
  /** The local registry; `authorization` and `authFile` carry its login when it requires one. */
  readonly registry: {
    readonly url: string;
    readonly host: string;
    readonly authorization?: string;
    readonly authFile?: string;
  };
  /** The function host's functions. */
  readonly functions: Functions;
  /** The function host's per-version counts: what each step of a gradual release is judged by. */
  readonly versionHealth: VersionHealth;
  /** What the function host's functions printed (its log store). */
  readonly functionLogs: FunctionLogs;
  /** FERRY_HOME: buildah's storage and the build logs live under it. */
  readonly home: string;
  /** The API's base URL, for links in notifications. */
  readonly apiUrl: string;
  readonly logger: Logger;
  readonly slack?: LocalSlackOptions;
  /** Seconds between workflow retries. @default the definition's backoff */
  readonly retryIntervalSeconds?: number;
}

/** Local mode's deps, the API's and the workers' from the same parts. */
export interface LocalRuntime {
  readonly adminTeam: string;
  /** One lock lifetime for the API's first lock and Prepare's, from the workflow's own timeout. */
  readonly lockTtlSeconds: number;
  readonly store: DeploymentStore;
  /** Bearer tokens (the admin token is issued into it). */
  readonly tokens: TokenStore;
  /** The local registry as the workers see it (the `/v1/local` routes resolve tags with it). */
  readonly registry: OciRegistry;
  readonly workflow: InProcessWorkflow;
  /** The runner behind `workflow`, for restart recovery (local/recovery.ts). */
  readonly runner: LocalWorkflow;
  /** Each in-flight execution's last state, under FERRY_HOME/executions. */
  readonly journal: ExecutionJournal;
  readonly workers: WorkerDeps;
  readonly api: ApiDeps;
  /** Registry pushes waiting for their functions (start.ts runs the dispatcher over it). */
  readonly rollouts: RolloutQueue;
  /** The Build step's builder (`ferry local create-function --source` builds with it too). */
  readonly builder: Builder;
}

/** Builds local mode's deps; starts nothing (start.ts owns the processes). */
export function localRuntime(parts: LocalRuntimeParts): LocalRuntime {
  const { dynamo, tableName, logger } = parts;
  const adminTeam = LOCAL_ADMIN_TEAM;
  const lockTtlSeconds = deployLockTtlSeconds();
  const store = new DynamoDeploymentStore(dynamo, { tableName, cursorSecret: parts.cursorSecret });
  const claims = new DynamoMessageClaims(dynamo, { tableName });
  const tokens = new DynamoTokenStore(dynamo, tableName);
  const clock = systemClock;
  const registry = new OciRegistry({
    baseUrl: parts.registry.url,
    ...(parts.registry.authorization ? { authorization: parts.registry.authorization } : {}),
  });
  const slack = parts.slack ?? {};
  const webhooks = slack.webhooks ?? {};
  // One set of callback waits: the workflow's holds wait in it, the API's approve/abort resume them.
  const callbacks = new LocalWorkflowCallbacks();
  const rollouts = new DynamoRolloutQueue(dynamo, tableName, clock);

  const workers: WorkerDeps = {
    store,
    registry,
    functions: parts.functions,
    notifier: deploymentNotifier({
      store,
      claims,
      logger,
      publicBaseUrl: parts.apiUrl,
      webhookFor: async (channel) =>
        Object.hasOwn(webhooks, channel) ? webhooks[channel] : undefined,
      ...(slack.replyOrigins ? { replyOrigins: slack.replyOrigins } : {}),
    }),
    claims,
    clock,
    logger,
    metrics: new LogMetrics(logger),
    versionHealth: parts.versionHealth,
    alarms: new LocalAlarms(),
    callbacks,
    buildLogs: new LocalBuildLogs(join(parts.home, 'builds')),
    options: {
      lockTtlSeconds,
      updateMaxWaitSeconds: 600,
      buildRepositoryUri: `${parts.registry.host}/ferry/builds`,
      // The host counts every call as it ends: a window is complete at once.
      metricsSettleSeconds: 0,
      provisioningPollSeconds: 1,
    },
  };
  const builder = createBuildahBuilder({
    registryHost: parts.registry.host,
    ...(parts.registry.authFile ? { authFile: parts.registry.authFile } : {}),
    storageRoot: join(parts.home, 'buildah'),
    logDir: join(parts.home, 'builds'),
    // `ferry deploy --wait --logs` and the API's build-log route read the log while it is written.
    // A build for `local create-function --source` has no deployment record to point from.
    onStarted: async ({ deploymentId, buildId, link }) => {
      if (await store.get(deploymentId))
        await store.update(deploymentId, { buildId, buildLogsUrl: link });
    },
    logger,
  });
  const journal = new ExecutionJournal(join(parts.home, 'executions'));
  const runner = createLocalWorkflow({
    deps: workers,
    builder,
    callbacks,
    journal,
    ...(parts.retryIntervalSeconds !== undefined
      ? { retryIntervalSeconds: parts.retryIntervalSeconds }
      : {}),
  });
  const workflow = new InProcessWorkflow(runner, logger);

  const app = appDeps({
    store,
    workflow,
    callbacks,
    rules: new DynamoRuleStore(dynamo, tableName),
    clock,
    newId: () => newDeploymentId(),
    logger,
    adminTeam,
    lockTtlSeconds,
    allowFileSources: true,
  });
  const api = apiDeps(app, {
    authenticator: tokenAuthenticator(tokens, adminTeam),
    tokens,
    slackUsers: new DynamoSlackUserLinks(dynamo, tableName),
    functionLogs: parts.functionLogs,
    buildLogs: workers.buildLogs,
    // Local mode has no opt-in, tags or repository policies: the doctor reads the host's functions.
    doctor: { functions: parts.functions },
    registryHook: { secret: parts.hookSecret, registryHost: parts.registry.host, queue: rollouts },
    ...(slack.signingSecret ? { slack: localChatops(slack.signingSecret, slack) } : {}),
  });
  return {
    adminTeam,
    lockTtlSeconds,
    store,
    tokens,
    registry,
    workflow,
    runner,
    journal,
    workers,
    api,
    rollouts,
    builder,
  };
}

/** The slash-command route's settings in local mode. */
function localChatops(secret: string, slack: LocalSlackOptions): SlackChatopsConfig {
  return {
    signingSecret: async () => secret,
    users: slack.users ?? {},
    ...(slack.replyOrigins ? { replyOrigins: slack.replyOrigins } : {}),
  };
}

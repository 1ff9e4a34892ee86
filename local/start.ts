/**
 * Local mode: Ferry on one machine with real local parts — dynalite (on disk), Debian's
 * docker-registry, buildah, the local function host, the real ASL in-process and the API on
 * 127.0.0.1. `startLocalFerry` wires them; local/main.ts is the `npm start` entry.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { allNotifiers } from '../services/adapters/all-notifiers.ts';
import { DynamoMessageClaims } from '../services/adapters/aws/dynamo-message-claims.ts';
import { DynamoRuleStore } from '../services/adapters/aws/dynamo-rule-store.ts';
import { DynamoSlackUserLinks } from '../services/adapters/aws/dynamo-slack-users.ts';
import { DynamoDeploymentStore } from '../services/adapters/aws/dynamo-store.ts';
import { DynamoTokenStore } from '../services/adapters/aws/dynamo-token-store.ts';
import { OciRegistry } from '../services/adapters/local/oci-registry.ts';
import { LogMetrics } from '../services/adapters/log-metrics.ts';
import { LogNotifier } from '../services/adapters/log-notifier.ts';
import { notifyOnce } from '../services/adapters/notify-once.ts';
import { SlackReplyNotifier } from '../services/adapters/slack/reply-notifier.ts';
import { SlackWebhookNotifier } from '../services/adapters/slack/slack-notifier.ts';
import { createApp } from '../services/api/app.ts';
import type { SlackChatopsConfig } from '../services/api/deps.ts';
import { startApiServer } from '../services/api/server.ts';
import {
  issueToken,
  registerToken,
  tokenAuthenticator,
} from '../services/auth/token-authenticator.ts';
import { systemClock } from '../services/core/clock.ts';
import { newDeploymentId } from '../services/core/ids.ts';
import type { Logger } from '../services/core/logger.ts';
import type { DeploymentStore, MessageClaims } from '../services/core/ports.ts';
import { deployLockTtlSeconds } from '../statemachine/substitutions.ts';
import { createBuildahBuilder } from './buildah-builder.ts';
import { ensureStoreTable, startDynalite } from './dynalite-server.ts';
import { startFunctionHost } from './function-host/http-server.ts';
import { InProcessWorkflow } from './in-process-workflow.ts';
import { indexRegisteredFunctions } from './index-functions.ts';
import { localRoutes } from './local-routes.ts';
import { startRegistry } from './registry-process.ts';
import { createLocalWorkflow } from './workflow-runner.ts';

const TABLE = 'ferry';
const ADMIN_TEAM = 'platform';

/** Options for {@link startLocalFerry}. */
export interface LocalFerryOptions {
  /** State directory (`FERRY_HOME`). */
  readonly home: string;
  /** API port on 127.0.0.1 (`FERRY_PORT`); 0 for a free one. */
  readonly port: number;
  /** The admin team's bearer token (`FERRY_ADMIN_TOKEN`); else one is generated on first start. */
  readonly adminToken?: string;
  readonly logger: Logger;
  /** Called when a child process dies unexpectedly. */
  readonly onChildExit?: (error: Error) => void;
  /** Seconds between workflow retries. @default the definition's backoff */
  readonly retryIntervalSeconds?: number;
  /** Slack slash commands and notifications. @default - off */
  readonly slack?: LocalSlackOptions;
}

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

/** A running local Ferry. */
export interface LocalFerry {
  readonly apiUrl: string;
  readonly registryHost: string;
  readonly functionHostUrl: string;
  /** A token printed once: the generated admin token on first start, else undefined. */
  readonly newAdminToken?: string;
  readonly workflow: InProcessWorkflow;
  /** The store (tests inspect and seed it). */
  readonly store: DeploymentStore;
  close(): Promise<void>;
}

/** Secrets that must survive restarts (cursor key, registry hook key), kept in FERRY_HOME. */
function localSecrets(home: string): { cursor: string; hook: string } {
  const file = join(home, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const secrets = {
    cursor: randomBytes(32).toString('hex'),
    hook: randomBytes(32).toString('hex'),
  };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

/** Starts every part; on failure stops what already started. */
export async function startLocalFerry(options: LocalFerryOptions): Promise<LocalFerry> {
  const home = resolve(options.home);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const secrets = localSecrets(home);
  const stops: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const db = await startDynalite({ path: join(home, 'dynamo') });
    stops.push(() => db.close());
    await ensureStoreTable(db.client, TABLE);
    const store = new DynamoDeploymentStore(db.client, {
      tableName: TABLE,
      cursorSecret: secrets.cursor,
    });
    const tokens = new DynamoTokenStore(db.client, TABLE);
    const claims = new DynamoMessageClaims(db.client, { tableName: TABLE });
    const indexed = await indexRegisteredFunctions(db.client, TABLE, store);
    if (indexed.length > 0)
      options.logger.info('functions added to the web page list', {
        functions: indexed.join(', '),
      });

    // The API's address must be known before the registry starts: it posts push events there.
    const api = await startApiServer(
      { fetch: () => new Response('starting', { status: 503 }) },
      options.port,
    );
    const apiPort = Number(new URL(api.url).port);
    await api.close();
    const registry = await startRegistry({
      dir: join(home, 'registry'),
      notificationUrl: `http://127.0.0.1:${apiPort}/v1/hooks/registry`,
      notificationSecret: secrets.hook,
      ...(options.onChildExit ? { onUnexpectedExit: options.onChildExit } : {}),
    });
    stops.push(() => registry.stop());
    const host = await startFunctionHost({
      stateDir: join(home, 'functions'),
      registryUrl: registry.url,
    });
    stops.push(() => host.close());

    const ociRegistry = new OciRegistry({ baseUrl: registry.url });
    const builder = createBuildahBuilder({
      registryHost: registry.host,
      storageRoot: join(home, 'buildah'),
      logDir: join(home, 'builds'),
      logger: options.logger,
    });
    // One lock lifetime for the API's first lock and Prepare's, from the workflow's own timeout.
    const lockTtlSeconds = deployLockTtlSeconds();
    const deps = {
      store,
      registry: ociRegistry,
      functions: host.functions,
      notifier: localNotifier(store, claims, options, `http://127.0.0.1:${apiPort}`),
      claims,
      clock: systemClock,
      logger: options.logger,
      metrics: new LogMetrics(options.logger),
      options: {
        lockTtlSeconds,
        updateMaxWaitSeconds: 600,
        buildRepositoryUri: `${registry.host}/ferry/builds`,
      },
    };
    const workflow = new InProcessWorkflow(
      createLocalWorkflow({
        deps,
        builder,
        ...(options.retryIntervalSeconds !== undefined
          ? { retryIntervalSeconds: options.retryIntervalSeconds }
          : {}),
      }),
      options.logger,
    );
    stops.push(() => workflow.idle());

    const app = createApp({
      store,
      workflow,
      authenticator: tokenAuthenticator(tokens, ADMIN_TEAM),
      clock: systemClock,
      logger: options.logger,
      newId: () => newDeploymentId(),
      config: {
        adminTeam: ADMIN_TEAM,
        lockTtlSeconds,
        maxBodyBytes: 65536,
        allowFileSources: true,
      },
      rules: new DynamoRuleStore(db.client, TABLE),
      slackUsers: new DynamoSlackUserLinks(db.client, TABLE),
      registryHook: { secret: secrets.hook, registryHost: registry.host },
      ...(options.slack?.signingSecret ? { slack: localChatops(options.slack) } : {}),
    });
    const info = {
      registry: registry.host,
      functionHost: host.url,
      invokeEndpoint: `${host.url}/2015-03-31/functions/function/invocations`,
    };
    app.route('/v1/local', localRoutes(info, host.functions, ociRegistry));

    let newAdminToken: string | undefined;
    const issuedMarker = join(home, 'admin-token-issued');
    if (options.adminToken) await registerToken(tokens, options.adminToken, ADMIN_TEAM);
    else if (!existsSync(issuedMarker)) {
      newAdminToken = await issueToken(tokens, ADMIN_TEAM);
      writeFileSync(issuedMarker, new Date().toISOString());
    }
    const server = await startApiServer(app, apiPort);
    stops.push(() => server.close());
    return {
      apiUrl: server.url,
      registryHost: registry.host,
      functionHostUrl: host.url,
      ...(newAdminToken ? { newAdminToken } : {}),
      workflow,
      store,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * A log line for every notification, plus Slack channel webhooks and slash-command replies; each
 * sends a (deployment, status) once, through its own claims.
 */
function localNotifier(
  store: DeploymentStore,
  claims: MessageClaims,
  options: LocalFerryOptions,
  apiUrl: string,
) {
  const slack = options.slack ?? {};
  const webhooks = slack.webhooks ?? {};
  const common = {
    store,
    claims,
    logger: options.logger,
    linkFor: (id: string) => `${apiUrl}/deployments/${id}`,
  };
  return allNotifiers(
    notifyOnce('log', new LogNotifier(options.logger), { claims, logger: options.logger }),
    new SlackWebhookNotifier({
      ...common,
      webhookFor: async (channel) =>
        Object.hasOwn(webhooks, channel) ? webhooks[channel] : undefined,
    }),
    new SlackReplyNotifier({
      ...common,
      ...(slack.replyOrigins ? { replyOrigins: slack.replyOrigins } : {}),
    }),
  );
}

/** The slash-command route's settings in local mode. */
function localChatops(slack: LocalSlackOptions): SlackChatopsConfig {
  const secret = slack.signingSecret ?? '';
  return {
    signingSecret: async () => secret,
    users: slack.users ?? {},
    ...(slack.replyOrigins ? { replyOrigins: slack.replyOrigins } : {}),
  };
}

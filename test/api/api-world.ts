/** The API over the real DynamoDB store on dynalite, with the workflow faked at its boundary. */

import { DynamoRolloutQueue } from '../../services/adapters/aws/dynamo-rollout-queue.ts';
import { DynamoRuleStore } from '../../services/adapters/aws/dynamo-rule-store.ts';
import { DynamoSlackUserLinks } from '../../services/adapters/aws/dynamo-slack-users.ts';
import { DynamoDeploymentStore } from '../../services/adapters/aws/dynamo-store.ts';
import { DynamoTokenStore } from '../../services/adapters/aws/dynamo-token-store.ts';
import { createApp } from '../../services/api/app.ts';
import type { ApiDeps } from '../../services/api/deps.ts';
import { inProcessGcRunner } from '../../services/app/gc-deps.ts';
import { issueToken } from '../../services/auth/token-authenticator.ts';
import type { Workflow } from '../../services/core/ports.ts';
import { parseFunctionSettings } from '../../services/core/settings.ts';
import { FakeBuildLogs } from '../fakes/fake-build-logs.ts';
import { FakeFunctionLogs } from '../fakes/fake-function-logs.ts';
import { FakeFunctionInventory, FakeImageInventory } from '../fakes/fake-inventory.ts';
import { RecordingCallbacks } from '../fakes/recording-callbacks.ts';
import { testApiDeps } from '../support/api-deps.ts';
import { createStoreTable, startDynalite } from '../support/dynalite.ts';

/** A workflow port that records starts and can be told to fail. */
export class RecordingWorkflow implements Workflow {
  readonly started: string[] = [];
  fail = false;
  async start(deploymentId: string): Promise<void> {
    if (this.fail) {
      const error = new Error('state machine unavailable');
      error.name = 'TransientError';
      throw error;
    }
    this.started.push(deploymentId);
  }
}

let tables = 0;

/** The registry hook's HMAC key in tests. */
export const HOOK_SECRET = 'test-hook-secret';

/** The Slack app's signing secret in tests. */
export const SLACK_SECRET = 'test-slack-signing-secret';

/** Slack users mapped to teams in tests (`U0NOBODY` is not mapped). */
export const SLACK_USERS = { U0PAY: 'payments', U0SEARCH: 'search', U0PLAT: 'platform' } as const;

/** A fresh API world: teams `payments` and `search`, admin team `platform`, function `orders` owned by payments. */
export async function createApiWorld(
  options: {
    allowFileSources?: boolean;
    watchedRepositories?: readonly string[];
    doctor?: ApiDeps['doctor'];
  } = {},
) {
  const db = await startDynalite();
  const tableName = `ferry-api-${++tables}`;
  await createStoreTable(db.client, tableName);
  const store = new DynamoDeploymentStore(db.client, {
    tableName,
    cursorSecret: 'test-cursor-secret',
  });
  const tokens = new DynamoTokenStore(db.client, tableName);
  const workflow = new RecordingWorkflow();
  const callbacks = new RecordingCallbacks();
  const rollouts = new DynamoRolloutQueue(db.client, tableName);
  const functionLogs = new FakeFunctionLogs();
  const buildLogs = new FakeBuildLogs();
  const base: ApiDeps = testApiDeps(
    { store, workflow, tokens, callbacks },
    {
      rules: new DynamoRuleStore(db.client, tableName),
      slackUsers: new DynamoSlackUserLinks(db.client, tableName),
      registryHook: { secret: HOOK_SECRET, registryHost: '127.0.0.1:5000', queue: rollouts },
      slack: { signingSecret: async () => SLACK_SECRET, users: SLACK_USERS },
      functionLogs,
      buildLogs,
      ...(options.doctor ? { doctor: options.doctor } : {}),
    },
  );
  // What `POST /v1/gc` collects from: empty unless a test adds images and function states.
  const gc = { images: new FakeImageInventory(), functions: new FakeFunctionInventory() };
  const deps: ApiDeps = {
    ...base,
    gc: inProcessGcRunner(base, gc),
    config: {
      ...base.config,
      ...(options.allowFileSources ? { allowFileSources: true } : {}),
      ...(options.watchedRepositories ? { watchedRepositories: options.watchedRepositories } : {}),
    },
  };
  const app = createApp(deps);
  const token = {
    payments: await issueToken(tokens, 'payments'),
    search: await issueToken(tokens, 'search'),
    platform: await issueToken(tokens, 'platform'),
  };
  await store.putSettings('orders', parseFunctionSettings({ team: 'payments' }));

  /** Sends a request as a team (or anonymously) and returns status, headers and parsed body. */
  async function call(
    as: keyof typeof token | null,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const raw =
      typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body);
    const res = await app.request(path, {
      method,
      headers: {
        ...(raw !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(as ? { authorization: `Bearer ${token[as]}` } : {}),
        ...headers,
      },
      ...(raw !== undefined ? { body: raw } : {}),
    });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = { text };
    }
    return { status: res.status, headers: res.headers, body: json };
  }

  return {
    app,
    deps,
    store,
    workflow,
    callbacks,
    rollouts,
    functionLogs,
    gc,
    buildLogs,
    tokens,
    token,
    call,
    /** The dynalite endpoint and table, for workers wired to the same store. */
    endpoint: db.endpoint,
    tableName,
    close: () => db.close(),
  };
}

/** An API world. */
export type ApiWorld = Awaited<ReturnType<typeof createApiWorld>>;

/** A valid image reference. */
export const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/team/orders@sha256:${'a'.repeat(64)}`;

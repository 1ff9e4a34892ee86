/**
 * The API served on 127.0.0.1 over the real store (dynalite) with the real workflow definition
 * running in-process; the registry and Lambda are the in-memory fakes (local mode swaps in the
 * real local registry and function host).
 */

import { InProcessWorkflow } from '../../local/in-process-workflow.ts';
import { createLocalWorkflow } from '../../local/workflow-runner.ts';
import { DynamoRuleStore } from '../../services/adapters/aws/dynamo-rule-store.ts';
import { DynamoSlackUserLinks } from '../../services/adapters/aws/dynamo-slack-users.ts';
import { DynamoDeploymentStore } from '../../services/adapters/aws/dynamo-store.ts';
import { DynamoTokenStore } from '../../services/adapters/aws/dynamo-token-store.ts';
import { createApp } from '../../services/api/app.ts';
import { startApiServer } from '../../services/api/server.ts';
import { issueToken } from '../../services/auth/token-authenticator.ts';
import { silentLogger } from '../../services/core/logger.ts';
import { parseFunctionSettings } from '../../services/core/settings.ts';
import { createWorld, FN } from '../workflow/world.ts';
import { testApiDeps } from './api-deps.ts';
import { createStoreTable, startDynalite } from './dynalite.ts';

/** Starts the stack; `world` holds the fake registry/functions and helpers to push images. */
export async function startLocalStack() {
  const db = await startDynalite();
  await createStoreTable(db.client, 'ferry-e2e');
  const store = new DynamoDeploymentStore(db.client, {
    tableName: 'ferry-e2e',
    cursorSecret: 'e2e-cursor-secret',
  });
  const tokens = new DynamoTokenStore(db.client, 'ferry-e2e');
  const world = createWorld();
  const deps = { ...world.deps, store };
  const builder = async () => {
    throw Object.assign(new Error('no builder in this stack'), { name: 'States.TaskFailed' });
  };
  const workflow = new InProcessWorkflow(
    createLocalWorkflow({
      deps,
      builder,
      retryIntervalSeconds: 0,
      callbacks: world.callbacks,
    }),
    silentLogger,
  );
  const app = createApp(
    testApiDeps(
      { store, workflow, tokens, callbacks: world.callbacks },
      {
        rules: new DynamoRuleStore(db.client, 'ferry-e2e'),
        slackUsers: new DynamoSlackUserLinks(db.client, 'ferry-e2e'),
        doctor: { functions: world.deps.functions },
      },
    ),
  );
  await store.putSettings(FN, parseFunctionSettings({ team: 'payments' }));
  const server = await startApiServer(app);
  return {
    url: server.url,
    token: await issueToken(tokens, 'payments'),
    adminToken: await issueToken(tokens, 'platform'),
    world,
    store,
    workflow,
    close: async () => {
      await workflow.idle();
      await server.close();
      await db.close();
    },
  };
}

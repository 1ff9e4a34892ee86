/**
 * POST to SUCCEEDED through the real workflow: the API over the real store (dynalite), the real
 * ASL run in-process by InProcessWorkflow, the registry and Lambda faked (test/fakes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessWorkflow } from '../../local/in-process-workflow.ts';
import { createLocalWorkflow } from '../../local/workflow-runner.ts';
import { DynamoDeploymentStore } from '../../services/adapters/aws/dynamo-store.ts';
import { DynamoTokenStore } from '../../services/adapters/aws/dynamo-token-store.ts';
import { createApp } from '../../services/api/app.ts';
import { issueToken, tokenAuthenticator } from '../../services/auth/token-authenticator.ts';
import { systemClock } from '../../services/core/clock.ts';
import { newDeploymentId } from '../../services/core/ids.ts';
import { silentLogger } from '../../services/core/logger.ts';
import { parseFunctionSettings } from '../../services/core/settings.ts';
import { FakeBuildLogs } from '../fakes/fake-build-logs.ts';
import { FakeFunctionLogs } from '../fakes/fake-function-logs.ts';
import { createStoreTable, type RunningDynalite, startDynalite } from '../support/dynalite.ts';
import { appRef, createWorld, FN, type World } from '../workflow/world.ts';
import { send } from './send.ts';

let db: RunningDynalite;
let world: World;
let workflow: InProcessWorkflow;
let app: ReturnType<typeof createApp>;
let token: string;
let v2: string;

beforeAll(async () => {
  db = await startDynalite();
  await createStoreTable(db.client, 'ferry-api-e2e');
  const store = new DynamoDeploymentStore(db.client, {
    tableName: 'ferry-api-e2e',
    cursorSecret: 'e2e-secret',
  });
  const tokens = new DynamoTokenStore(db.client, 'ferry-api-e2e');
  world = createWorld();
  const builder = async () => {
    throw Object.assign(new Error('image deployments only'), { name: 'States.TaskFailed' });
  };
  workflow = new InProcessWorkflow(
    createLocalWorkflow({
      deps: { ...world.deps, store },
      builder,
      retryIntervalSeconds: 0,
      callbacks: world.callbacks,
    }),
    silentLogger,
  );
  app = createApp({
    store,
    workflow,
    callbacks: world.callbacks,
    authenticator: tokenAuthenticator(tokens, 'platform'),
    clock: systemClock,
    logger: silentLogger,
    newId: () => newDeploymentId(),
    config: { adminTeam: 'platform', lockTtlSeconds: 600, maxBodyBytes: 65536 },
    functionLogs: new FakeFunctionLogs(),
    buildLogs: new FakeBuildLogs(),
    doctor: { functions: world.deps.functions },
  });
  token = await issueToken(tokens, 'payments');
  await store.putSettings(FN, parseFunctionSettings({ team: 'payments' }));
});
afterAll(async () => {
  await workflow.idle();
  await db.close();
});

const as = () => ({ authorization: `Bearer ${token}`, 'x-ferry-client': 'cli' });

async function deployAndWait(image: string) {
  const accepted = await send(app, 'POST', '/v1/deployments', {
    body: { function: FN, image },
    headers: as(),
  });
  expect(accepted.status).toBe(202);
  await workflow.idle();
  return (await send(app, 'GET', `/v1/deployments/${accepted.body.id}`, { headers: as() })).body;
}

describe('API end to end: in-process workflow', () => {
  it('takes a POST to SUCCEEDED, and GET shows every step with timings and the reports', async () => {
    const digest = world.pushApp('v2');
    v2 = digest;
    const d = await deployAndWait(appRef('v2'));
    expect(d).toMatchObject({
      status: 'SUCCEEDED',
      trigger: { kind: 'cli', actor: expect.stringMatching(/^token:payments:/) },
      previous: { digest: world.liveDigest },
      release: { digest },
      scan: { verdict: 'pass' },
      smoke: { passed: true, initDurationMs: 150 },
    });
    const steps = d.steps as Array<{
      name: string;
      outcome: string;
      startedAt: string;
      endedAt: string;
    }>;
    expect(steps.map((s) => s.name)).toEqual([
      'Prepare',
      'ResolveImage',
      'ScanImage',
      'Promote',
      'UpdateFunction',
      'SmokeInvoke',
      'Activate',
      'Finalize',
    ]);
    for (const s of steps) {
      expect(s.outcome).toBe('succeeded');
      expect(Date.parse(s.endedAt)).toBeGreaterThanOrEqual(Date.parse(s.startedAt));
    }
    expect((await world.functionState()).aliasDigest).toBe(digest);
  });

  it('rolls back through the same workflow to the previous good digest', async () => {
    const v3 = world.pushApp('v3');
    expect((await deployAndWait(appRef('v3'))).status).toBe('SUCCEEDED');
    expect((await world.functionState()).aliasDigest).toBe(v3);

    const res = await send(app, 'POST', `/v1/functions/${FN}/rollback`, {
      body: {},
      headers: as(),
    });
    expect(res.status).toBe(202);
    await workflow.idle();
    const d = (await send(app, 'GET', `/v1/deployments/${res.body.id}`, { headers: as() })).body;
    expect(d).toMatchObject({
      status: 'SUCCEEDED',
      trigger: { kind: 'rollback' },
      request: { image: expect.stringMatching(new RegExp(`@${v2}$`)) },
      release: { digest: v2 },
    });
    expect((await world.functionState()).aliasDigest).toBe(v2);
  });

  it('lists the history newest first', async () => {
    const page = await send(app, 'GET', `/v1/functions/${FN}/deployments`, { headers: as() });
    const items = page.body.items as Array<{ trigger: { kind: string }; status: string }>;
    expect(items.map((i) => [i.trigger.kind, i.status])).toEqual([
      ['rollback', 'SUCCEEDED'],
      ['cli', 'SUCCEEDED'],
      ['cli', 'SUCCEEDED'],
    ]);
  });
});

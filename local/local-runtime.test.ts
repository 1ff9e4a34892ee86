/**
 * Local mode's composition root: the API's deps and the workers' come from one set of parts, so
 * they share the store, the claims, the clock, the logger, the lock lifetime and the admin team.
 * No process is started: dynalite stands in for the store, a fake for the function host.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerToken } from '../services/auth/token-authenticator.ts';
import { silentLogger } from '../services/core/logger.ts';
import { deployLockTtlSeconds } from '../statemachine/substitutions.ts';
import { aDeployment } from '../test/fakes/deployments.ts';
import { FakeFunctionLogs } from '../test/fakes/fake-function-logs.ts';
import { FakeFunctions } from '../test/fakes/fake-functions.ts';
import { ScriptedVersionHealth } from '../test/fakes/scripted-version-health.ts';
import { createStoreTable, type RunningDynalite, startDynalite } from '../test/support/dynalite.ts';
import { type LocalRuntime, localRuntime } from './local-runtime.ts';

const TABLE = 'ferry-local-runtime';
let dynalite: RunningDynalite;
let home: string;
let runtime: LocalRuntime;

beforeAll(async () => {
  dynalite = await startDynalite();
  await createStoreTable(dynalite.client, TABLE);
  home = mkdtempSync(join(tmpdir(), 'ferry-local-runtime-'));
  runtime = localRuntime({
    dynamo: dynalite.client,
    tableName: TABLE,
    cursorSecret: 'a-cursor-secret-of-enough-length',
    hookSecret: 'a-hook-secret',
    // Never contacted: building the deps starts and calls nothing.
    registry: { url: 'http://127.0.0.1:9', host: '127.0.0.1:9' },
    functions: new FakeFunctions(),
    versionHealth: new ScriptedVersionHealth(),
    functionLogs: new FakeFunctionLogs(),
    home,
    apiUrl: 'http://127.0.0.1:8787',
    logger: silentLogger,
  });
});
afterAll(async () => {
  await dynalite.close();
  rmSync(home, { recursive: true, force: true });
});

describe('localRuntime', () => {
  it('gives the API and the workers the same store, clock, logger and lock lifetime', () => {
    const { api, workers } = runtime;
    expect(api.store).toBe(runtime.store);
    expect(workers.store).toBe(runtime.store);
    expect(api.clock).toBe(workers.clock);
    expect(api.logger).toBe(silentLogger);
    expect(workers.logger).toBe(silentLogger);
    // The workflow's own timeout decides the lock's life for the API's first lock and Prepare's.
    expect(runtime.lockTtlSeconds).toBe(deployLockTtlSeconds());
    expect(api.config.lockTtlSeconds).toBe(runtime.lockTtlSeconds);
    expect(workers.options.lockTtlSeconds).toBe(runtime.lockTtlSeconds);
    // The API starts deployments on the workflow that runs the workers.
    expect(api.workflow).toBe(runtime.workflow);
    expect(api.config).toMatchObject({ allowFileSources: true, maxBodyBytes: 65536 });
    expect(api.registryHook).toMatchObject({
      secret: 'a-hook-secret',
      registryHost: '127.0.0.1:9',
    });
    // The hook records pushes in the queue start.ts's dispatcher reads.
    expect(api.registryHook?.queue).toBe(runtime.rollouts);
  });

  it('names the admin team once: the API’s rules and its token authenticator agree', async () => {
    expect(runtime.api.config.adminTeam).toBe(runtime.adminTeam);
    const token = `fy_${'a'.repeat(43)}`;
    await registerToken(runtime.tokens, token, runtime.adminTeam);
    expect(await runtime.api.authenticator.verifyToken?.(token)).toMatchObject({
      team: runtime.adminTeam,
      admin: true,
    });
  });

  it('sends the workers’ notifications through the claims on the shared table', async () => {
    const deployment = aDeployment({ status: 'SUCCEEDED' });
    await runtime.store.create(deployment);
    await runtime.workers.notifier.notify({ deployment, status: 'SUCCEEDED', critical: false });
    // The log line's claim was taken in the table the workers' claims read.
    const claim = { channel: 'log', deploymentId: deployment.id, status: 'SUCCEEDED' } as const;
    expect(await runtime.workers.claims.claim(claim)).toBe(false);
  });
});

/**
 * Weighted aliases on the real host: both HTTP faces route an alias invocation by the host's
 * draw and name the version that ran (X-Amz-Executed-Version), and every call through an alias
 * is counted for that version — invocations, function errors, throttles, durations — by time.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalVersionHealth } from '../../services/adapters/local/local-version-health.ts';
import { type LambdaWorld, startLambdaWorld } from '../../test/support/lambda-images.ts';
import { FunctionHost } from './function-host.ts';
import { type RunningFunctionHost, startFunctionHost } from './http-server.ts';

/** A function `web` with version 1 answering (`good`) and version 2 throwing, `live` on 1. */
async function withTwoVersions(host: FunctionHost, world: LambdaWorld<'good' | 'throws'>) {
  await host.createFunction('web', world.images.good);
  const { latest } = await host.store.updateLatest('web', world.images.throws);
  await host.images.ensure(world.images.throws);
  await host.store.finishUpdate('web', latest.revisionId, 'Successful');
  await host.store.publish('web', latest.codeSha256);
}

let world: LambdaWorld<'good' | 'throws'>;
beforeAll(async () => {
  world = await startLambdaWorld(['good', 'throws']);
}, 120_000);
afterAll(async () => {
  await world?.cleanup();
});

describe('function host: weighted aliases', () => {
  let running: RunningFunctionHost;
  const draws: number[] = [];
  let now = Date.parse('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    running = await startFunctionHost({
      stateDir: await world.tempDir(),
      registryUrl: world.registry.url,
      defaultFunction: 'web',
      defaultQualifier: 'live',
      // Scripted draws make each routing decision known; an empty script draws like Math.random.
      random: () => draws.shift() ?? Math.random(),
      now: () => now,
    });
    await withTwoVersions(running.host, world);
    await running.host.store.setAliasRouting('web', 'live', {
      version: '1',
      additional: { version: '2', weight: 0.5 },
    });
  }, 60_000);
  afterAll(async () => {
    await running?.close();
  });

  it('routes the RIE endpoint and the Invoke API by weight and names the version that ran', async () => {
    draws.push(0.7, 0.2, 0.7, 0.2);
    const rie = () =>
      fetch(`${running.url}/2015-03-31/functions/function/invocations`, {
        method: 'POST',
        body: '{}',
      });
    const primary = await rie();
    expect(primary.headers.get('x-amz-executed-version')).toBe('1');
    const answer = (await primary.json()) as { version: string };
    expect(answer.version).toBe('1'); // version 1's own code answered
    const additional = await rie();
    expect(additional.headers.get('x-amz-executed-version')).toBe('2');
    expect(additional.headers.get('x-amz-function-error')).toBe('Unhandled');
    await additional.text();

    const client = new LambdaClient({
      endpoint: running.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const invoke = () =>
        client.send(new InvokeCommand({ FunctionName: 'web', Qualifier: 'live', Payload: '{}' }));
      expect((await invoke()).ExecutedVersion).toBe('1');
      const out = await invoke();
      expect(out).toMatchObject({ ExecutedVersion: '2', FunctionError: 'Unhandled' });
    } finally {
      client.destroy();
    }
  });

  it('counts calls through the alias per version and window; direct version calls are not alias traffic', async () => {
    const health = new LocalVersionHealth(running.host);
    now = Date.parse('2026-03-01T11:00:00Z');
    const from = new Date(now);
    draws.push(0.9, 0.9, 0.9, 0.1, 0.1);
    for (let i = 0; i < 5; i++) await running.functions.invoke('web', 'live', '{}');
    await running.functions.invoke('web', '2', '{}');
    now += 60_000;
    draws.push(0.1);
    await running.functions.invoke('web', 'live', '{}');
    const minute = new Date(from.getTime() + 60_000);

    const v1 = await health.sample('web', 'live', '1', from, minute);
    expect(v1).toMatchObject({ invocations: 3, errors: 0, throttles: 0 });
    expect(v1.durationP90Ms).toBeGreaterThan(0);
    const v2 = await health.sample('web', 'live', '2', from, minute);
    expect(v2).toMatchObject({ invocations: 2, errors: 2, throttles: 0 });
    // [from, to): the call at exactly `minute` is in the next window only.
    const next = new Date(minute.getTime() + 60_000);
    await expect(health.sample('web', 'live', '2', minute, next)).resolves.toMatchObject({
      invocations: 1,
      errors: 1,
    });
    await expect(health.sample('web', 'live', '3', from, next)).resolves.toEqual({
      invocations: 0,
      errors: 0,
      throttles: 0,
      durationP90Ms: null,
    });
    await expect(health.sample('web', 'beta', '1', from, next)).resolves.toMatchObject({
      invocations: 0,
    });
  });
});

describe('function host: throttles behind an alias', () => {
  let host: FunctionHost;

  beforeAll(async () => {
    // One instance and no queue: a second concurrent call cannot be taken.
    host = await FunctionHost.open({
      stateDir: await world.tempDir(),
      registryUrl: world.registry.url,
      maxInstances: 1,
      maxQueued: 0,
    });
    await withTwoVersions(host, world);
  }, 60_000);
  afterAll(async () => {
    await host?.close();
  });

  it('counts a call no instance could take as a throttle of the version it was routed to', async () => {
    const from = new Date(Date.now() - 1_000);
    const calls = await Promise.allSettled([
      host.invoke('web', 'live', '{"sleep": 1}'),
      host.invoke('web', 'live', '{"sleep": 1}'),
    ]);
    expect(calls.map((c) => c.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = calls.find((c) => c.status === 'rejected');
    expect(rejected?.reason).toMatchObject({ name: 'TooManyRequestsException' });
    const to = new Date(Date.now() + 1_000);
    await expect(
      new LocalVersionHealth(host).sample('web', 'live', '1', from, to),
    ).resolves.toMatchObject({ invocations: 1, errors: 0, throttles: 1 });
  });
});

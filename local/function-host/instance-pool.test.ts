/**
 * Instance lifecycle with real processes: idle stop, the concurrency bound and its queue,
 * eviction, restart on the same state dir, and close() leaving nothing behind.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LambdaWorld,
  processesUsing,
  startLambdaWorld,
} from '../../test/support/lambda-images.ts';
import { FunctionHost, type FunctionHostOptions } from './function-host.ts';

describe('instance lifecycle', () => {
  let world: LambdaWorld<'good'>;
  const open = async (options: Partial<FunctionHostOptions> = {}) => {
    const host = await FunctionHost.open({
      stateDir: await world.tempDir(),
      registryUrl: world.registry.url,
      ...options,
    });
    await host.createFunction('fn', world.images.good);
    return host;
  };
  /** Launchers running for a host: the processes naming its state dir. */
  const launchers = async (host: FunctionHost) =>
    (await processesUsing(host.options.stateDir)).length;

  beforeAll(async () => {
    world = await startLambdaWorld(['good']);
  }, 120_000);
  afterAll(async () => {
    await world?.cleanup();
  });

  it('stops an idle instance after idleSeconds', async () => {
    const host = await open({ idleSeconds: 0.3 });
    try {
      await host.invoke('fn', 'live');
      expect(host.pool.size).toBe(1);
      expect(await launchers(host)).toBeGreaterThan(0);
      await sleep(800);
      expect(host.pool.size).toBe(0);
      expect(await launchers(host)).toBe(0);
      expect((await host.invoke('fn', 'live')).report?.initDurationMs).toBeGreaterThan(0);
    } finally {
      await host.close();
    }
  });

  it('never runs more than maxInstances: excess invokes queue and all complete', async () => {
    const host = await open({ maxInstances: 2 });
    try {
      let peak = 0;
      const sampler = setInterval(() => {
        peak = Math.max(peak, host.pool.size);
      }, 20);
      const started = performance.now();
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) => host.invoke('fn', 'live', `{"sleep":0.4,"i":${i}}`)),
      );
      clearInterval(sampler);
      expect(results.map((r) => JSON.parse(r.payload).event.i)).toEqual([0, 1, 2, 3, 4]);
      expect(results.every((r) => r.functionError === undefined)).toBe(true);
      expect(peak).toBeLessThanOrEqual(2);
      expect(host.pool.started).toBe(2);
      // Three waves of 0.4 s on two instances.
      expect(performance.now() - started).toBeGreaterThanOrEqual(1150);
    } finally {
      await host.close();
    }
  });

  it('starts a new instance for every cold invoke, within the bound, even with warm ones idle', async () => {
    const host = await open({ maxInstances: 2 });
    try {
      await host.invoke('fn', 'live');
      let peak = 0;
      const sampler = setInterval(() => {
        peak = Math.max(peak, host.pool.size);
      }, 10);
      const results = await Promise.all(
        [0, 1, 2].map(() => host.invoke('fn', 'live', '{"sleep":0.2}', { cold: true })),
      );
      clearInterval(sampler);
      for (const r of results) expect(r.report?.initDurationMs).toBeGreaterThan(0);
      expect(host.pool.started).toBe(4);
      expect(peak).toBeLessThanOrEqual(2);
      // A plain invoke still takes a warm one.
      expect((await host.invoke('fn', 'live')).report?.initDurationMs).toBeNull();
    } finally {
      await host.close();
    }
  });

  it('answers TooManyRequestsException past maxQueued', async () => {
    const host = await open({ maxInstances: 1, maxQueued: 1 });
    try {
      const outcomes = await Promise.allSettled(
        [0, 1, 2].map(() => host.invoke('fn', 'live', '{"sleep":0.3}')),
      );
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
      expect((outcomes[2] as PromiseRejectedResult).reason).toMatchObject({
        name: 'TooManyRequestsException',
      });
    } finally {
      await host.close();
    }
  });

  it('evicts the least recently used idle instance of other code when at the bound', async () => {
    const host = await open({ maxInstances: 1 });
    try {
      await host.invoke('fn', '1');
      await host.invoke('fn', '$LATEST'); // same digest, other version: its own environment
      expect(host.pool.started).toBe(2);
      expect(host.pool.size).toBe(1);
    } finally {
      await host.close();
    }
  });

  it("keeps every function's warm instances while another function is busy", async () => {
    const host = await open();
    try {
      await host.createFunction('other', world.images.good);
      const burst = (name: string) =>
        Promise.all([0, 1, 2, 3].map(() => host.invoke(name, 'live', '{"sleep":0.3}')));
      await burst('fn');
      expect(host.pool.started).toBe(4);
      await burst('other');
      expect(host.pool.started).toBe(8);
      // fn's four environments are still warm: no cold start comes back.
      const again = await burst('fn');
      expect(again.map((r) => r.report?.initDurationMs)).toEqual([null, null, null, null]);
      expect(host.pool.started).toBe(8);
    } finally {
      await host.close();
    }
  });

  it('bounds each function by maxInstancesPerFunction, beyond which invokes wait or are throttled', async () => {
    const host = await open({ maxInstancesPerFunction: 1, maxQueued: 1 });
    try {
      await host.createFunction('other', world.images.good);
      // Three of fn at once: one runs, one waits for it, one finds the queue full.
      // Settled at once: the throttled one rejects while `other` runs, and must not go unhandled.
      const ofFn = Promise.allSettled(
        [0, 1, 2].map(() => host.invoke('fn', 'live', '{"sleep":2}')),
      );
      // Another function has a bound of its own: it runs at once.
      const other = await host.invoke('other', 'live', '{}');
      expect(other.functionError).toBeUndefined();
      const outcomes = await ofFn;
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
      const rejected = outcomes.filter((o) => o.status === 'rejected');
      expect(rejected.map((o) => o.reason)).toMatchObject([{ name: 'TooManyRequestsException' }]);
      expect(host.pool.started).toBe(2);
    } finally {
      await host.close();
    }
  });

  it('replaces an idle instance whose process died', async () => {
    const host = await open();
    try {
      await host.invoke('fn', 'live');
      // Kill the instance's processes (all started by this test, through the host) by PID.
      for (const pid of await processesUsing(host.options.stateDir)) process.kill(pid, 'SIGKILL');
      for (let i = 0; i < 50 && host.pool.size > 0; i += 1) await sleep(20);
      expect(host.pool.size).toBe(0);
      const next = await host.invoke('fn', 'live');
      expect(next.functionError).toBeUndefined();
      expect(next.report?.initDurationMs).toBeGreaterThan(0);
    } finally {
      await host.close();
    }
  });

  it('keeps functions, versions and aliases across a restart on the same state dir', async () => {
    const first = await open();
    const { stateDir } = first.options;
    const updated = await first.store.updateLatest('fn', world.images.good);
    await first.store.finishUpdate('fn', updated.latest.revisionId, 'Successful');
    await first.store.setAlias('fn', 'beta', '1');
    await first.close();
    const second = await FunctionHost.open({ stateDir, registryUrl: world.registry.url });
    try {
      expect(second.store.get('fn')).toEqual(first.store.get('fn'));
      expect(second.store.get('fn').aliases).toMatchObject({
        live: { version: '1', additional: null },
        beta: { version: '1', additional: null },
      });
      const result = await second.invoke('fn', 'beta', '{"again":true}');
      expect(JSON.parse(result.payload).event).toEqual({ again: true });
      expect(second.images.unpacks).toBe(0); // the rootfs on disk is reused
    } finally {
      await second.close();
    }
  });

  it('close() kills every instance and fails queued invokes; no process is left', async () => {
    const host = await open({ maxInstances: 2 });
    const running = [0, 1, 2].map(() => host.invoke('fn', 'live', '{"sleep":10}'));
    await sleep(300);
    expect(await launchers(host)).toBeGreaterThan(0);
    const settled = Promise.allSettled(running);
    await host.close();
    const outcomes = await settled;
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(
      outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.functionError] : [])),
    ).toEqual(['Unhandled', 'Unhandled']);
    expect(await processesUsing(host.options.stateDir)).toEqual([]);
    expect(host.pool.size).toBe(0);
  });
});

/**
 * Provisioned concurrency on the local host with real images and processes: background init and
 * its status, init failures, reserved instances outliving the idle timeout, delete, replacement
 * of an instance that went away, a restart, and the bound on reserved instances.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LambdaWorld,
  processesUsing,
  startLambdaWorld,
} from '../../test/support/lambda-images.ts';
import { FunctionHost, type FunctionHostOptions } from './function-host.ts';

type Variant = 'good' | 'slow' | 'init-error' | 'crash-init' | 'crash';

describe('Class: ProvisionedInstances', () => {
  let world: LambdaWorld<Variant>;
  const hosts: FunctionHost[] = [];
  /** A host whose function `fn` runs `variant` as version 1. */
  const open = async (variant: Variant, options: Partial<FunctionHostOptions> = {}) => {
    const host = await FunctionHost.open({
      stateDir: await world.tempDir(),
      registryUrl: world.registry.url,
      ...options,
    });
    hosts.push(host);
    await host.createFunction('fn', world.images[variant]);
    return host;
  };
  /** Polls until the status is no longer IN_PROGRESS (bounded). */
  const settled = async (host: FunctionHost, version = '1') => {
    for (let i = 0; i < 200; i++) {
      const current = host.provisioned.get('fn', version);
      if (current?.status !== 'IN_PROGRESS') return current;
      await sleep(50);
    }
    return host.provisioned.get('fn', version);
  };

  beforeAll(async () => {
    world = await startLambdaWorld(['good', 'slow', 'init-error', 'crash-init', 'crash']);
  }, 180_000);
  afterAll(async () => {
    await Promise.all(hosts.map((host) => host.close()));
    await world?.cleanup();
  });

  it('is IN_PROGRESS until every instance finished init, then READY', async () => {
    const host = await open('slow');

    const put = await host.provisioned.put('fn', '1', 2);

    // The slow image sleeps 1 s before its first poll: both instances are still in init.
    expect(put).toEqual({ requested: 2, allocated: 0, available: 0, status: 'IN_PROGRESS' });
    expect(await settled(host)).toEqual({
      requested: 2,
      allocated: 2,
      available: 2,
      status: 'READY',
    });
    expect(host.pool.size).toBe(2);
  });

  it.each([
    ['posts /init/error', 'init-error', 'Runtime.ImportModuleError'],
    ['exits before polling', 'crash-init', 'Runtime exited with error: exit status 2'],
  ] as const)('is FAILED with the reason when init %s', async (_, variant, reason) => {
    const host = await open(variant);

    await host.provisioned.put('fn', '1', 1);

    const failed = await settled(host);
    expect(failed).toMatchObject({ status: 'FAILED', allocated: 0 });
    expect(failed?.statusReason).toContain(reason);
  });

  it('keeps its instances past the idle timeout and serves invokes on them warm', async () => {
    const host = await open('good', { idleSeconds: 0.2 });
    await host.provisioned.put('fn', '1', 1);
    await settled(host);
    // An on-demand instance of $LATEST (other code key) is reaped meanwhile.
    await host.invoke('fn', '$LATEST');

    await sleep(700);

    expect(host.pool.size).toBe(1);
    const warm = await host.invoke('fn', '1');
    expect(warm.report?.initDurationMs).toBeNull();
    expect(host.pool.started).toBe(2);
  });

  it('stops its instances on delete, and a second delete is fine', async () => {
    const host = await open('good');
    await host.provisioned.put('fn', '1', 2);
    await settled(host);
    expect((await processesUsing(host.options.stateDir)).length).toBeGreaterThan(0);

    await host.provisioned.delete('fn', '1');
    await host.provisioned.delete('fn', '1');

    expect(host.pool.size).toBe(0);
    expect(await processesUsing(host.options.stateDir)).toEqual([]);
    expect(host.provisioned.get('fn', '1')).toBeNull();
  });

  it('replaces an instance that went away', async () => {
    const host = await open('crash');
    await host.provisioned.put('fn', '1', 1);
    await settled(host);

    const crashed = await host.invoke('fn', '1');

    expect(crashed.functionError).toBe('Unhandled');
    expect(await settled(host)).toMatchObject({ status: 'READY', allocated: 1 });
    expect(host.pool.started).toBe(2);
  });

  it('is started again by a host reopened on the same state', async () => {
    const first = await open('good');
    await first.provisioned.put('fn', '1', 2);
    await settled(first);
    await first.close();

    const again = await FunctionHost.open(first.options);
    hosts.push(again);

    expect(again.provisioned.get('fn', '1')?.requested).toBe(2);
    expect(await settled(again)).toMatchObject({ status: 'READY', allocated: 2 });
    expect(again.pool.size).toBe(2);
  });

  it('refuses more instances than the host can hold back from on-demand invokes', async () => {
    const host = await open('good', { maxInstances: 2 });

    await expect(host.provisioned.put('fn', '1', 2)).rejects.toMatchObject({
      name: 'InvalidRequestError',
      message: expect.stringContaining('raise maxInstances'),
    });
    expect(host.provisioned.get('fn', '1')).toBeNull();
  });
});

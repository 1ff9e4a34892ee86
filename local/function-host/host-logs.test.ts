/**
 * The host's invocation logs kept by the log store, as `ferry logs` reads them locally: a real
 * image under unshare + chroot (root only), cold then warm, and one that dies during init, their
 * lines read back through the port.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LambdaWorld, startLambdaWorld } from '../../test/support/lambda-images.ts';
import { FunctionHost } from './function-host.ts';
import { FunctionLogStore } from './log-store.ts';

describe('FunctionHost: invocation logs', () => {
  let world: LambdaWorld<'good' | 'crash-init'>;
  let host: FunctionHost;
  let logs: FunctionLogStore;

  beforeAll(async () => {
    world = await startLambdaWorld(['good', 'crash-init']);
    const stateDir = await world.tempDir();
    logs = new FunctionLogStore(join(stateDir, 'logs'));
    host = await FunctionHost.open({
      stateDir,
      registryUrl: world.registry.url,
      onInvocationLog: (entry) => logs.append(entry),
    });
    await host.createFunction('good', world.images.good);
    await host.createFunction('crash-init', world.images['crash-init']);
  }, 120_000);
  afterAll(async () => {
    await host?.close();
    await world?.cleanup();
  });

  it("keeps each invocation's init output, START, output, END and REPORT, by version and request", async () => {
    const since = new Date(Date.now() - 1000);
    const cold = await host.invoke('good', 'live', '{}');
    const warm = await host.invoke('good', 'live', '{}');
    const { events } = await logs.read('good', { since, limit: 100 });
    const coldId = cold.report?.requestId;
    const warmId = warm.report?.requestId;
    expect(events[0]).toMatchObject({
      version: '1',
      message: expect.stringMatching(/^init mode=good/),
    });
    expect(events[0]?.requestId).toBeUndefined();
    const lines = events.map((e) => [e.requestId, e.message.split('\t')[0]]);
    expect(lines).toEqual(
      expect.arrayContaining([
        [coldId, `START RequestId: ${coldId} Version: 1`],
        [coldId, `handling ${coldId}`],
        [coldId, `END RequestId: ${coldId}`],
        [coldId, `REPORT RequestId: ${coldId}`],
        [warmId, `START RequestId: ${warmId} Version: 1`],
        [warmId, `REPORT RequestId: ${warmId}`],
      ]),
    );
    expect(events.map((e) => e.message).filter((m) => m.startsWith('init mode'))).toHaveLength(1);
    expect(events.every((e) => e.version === '1')).toBe(true);
  });

  it('keeps what a function printed before it died during init', async () => {
    const since = new Date(Date.now() - 1000);
    const failed = await host.invoke('crash-init', 'live', '{}');
    expect(failed.functionError).toBe('Unhandled');
    const { events } = await logs.read('crash-init', { since, limit: 100 });
    const messages = events.map((e) => e.message);
    expect(messages).toContain('dying during init');
    expect(messages.at(-1)).toMatch(/^REPORT RequestId: /);
  });
});

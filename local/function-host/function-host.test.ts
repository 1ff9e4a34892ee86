/**
 * The host against real images in a real registry, run under unshare + chroot (root only).
 */
import { lstat, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReportLine } from '../../services/core/report-line.ts';
import { type LambdaWorld, startLambdaWorld } from '../../test/support/lambda-images.ts';
import { FunctionHost } from './function-host.ts';

const VARIANTS = ['good', 'throws', 'crash', 'crash-init', 'init-error', 'slow'] as const;
type Variant = (typeof VARIANTS)[number];
const exists = (path: string) =>
  lstat(path).then(
    () => true,
    () => false,
  );

describe('FunctionHost', () => {
  let world: LambdaWorld<Variant>;
  let host: FunctionHost;
  let stateDir: string;

  beforeAll(async () => {
    world = await startLambdaWorld(VARIANTS);
    stateDir = await world.tempDir();
    host = await FunctionHost.open({
      stateDir,
      registryUrl: world.registry.url,
      initTimeoutSeconds: 5,
    });
    for (const variant of VARIANTS) await host.createFunction(variant, world.images[variant]);
    await host.createFunction('short', world.images.good, { timeoutSeconds: 1 });
  }, 120_000);
  afterAll(async () => {
    await host?.close();
    await world?.cleanup();
  });

  it('reports Init Duration and a REPORT line on a cold invoke, not on a warm one', async () => {
    const cold = await host.invoke('good', 'live', '{"n":1}');
    expect(cold.functionError).toBeUndefined();
    expect(cold.report?.initDurationMs).toBeGreaterThan(0);
    expect(cold.report?.durationMs).toBeGreaterThan(0);
    expect(cold.report?.maxMemoryUsedMb).toBeGreaterThan(0);
    expect(cold.report?.billedDurationMs).toBeGreaterThanOrEqual(cold.report?.initDurationMs ?? 0);
    expect(cold.logTail).toMatch(
      /^REPORT RequestId: \S+\tDuration: [\d.]+ ms\t.*Init Duration: [\d.]+ ms$/m,
    );
    expect(cold.logTail).toContain('init mode=good');
    expect(parseReportLine(cold.logTail)).toEqual(cold.report);
    const started = host.pool.started;
    const warm = await host.invoke('good', 'live', '{"n":2}');
    expect(warm.report?.initDurationMs).toBeNull();
    expect(warm.logTail).not.toContain('Init Duration');
    expect(warm.logTail).toContain(`START RequestId: ${warm.report?.requestId} Version: 1`);
    expect(host.pool.started).toBe(started);
    expect(JSON.parse(warm.payload).event).toEqual({ n: 2 });
  });

  it("runs ENTRYPOINT/CMD in the image's WorkingDir with Lambda's environment, whiteouts honoured", async () => {
    const result = await host.invoke('good', '1', '{"hello":"world"}');
    expect(JSON.parse(result.payload)).toEqual({
      ok: true,
      fn: 'good',
      version: '1',
      handler: 'handler.main',
      cwd: '/var/task',
      gone: false,
      event: { hello: 'world' },
    });
    expect(result.executedVersion).toBe('1');
    const rootfs = join(stateDir, 'rootfs', world.images.good.split('@sha256:')[1] ?? '');
    expect(await exists(join(rootfs, 'data/kept'))).toBe(true);
    expect(await exists(join(rootfs, 'data/gone'))).toBe(false);
  });

  it('a throwing handler is FunctionError Unhandled with its errorMessage', async () => {
    const result = await host.invoke('throws', 'live', '{}');
    expect(result.functionError).toBe('Unhandled');
    expect(JSON.parse(result.payload)).toEqual({
      errorType: 'Error',
      errorMessage: 'boom from handler',
    });
    expect(result.report?.durationMs).toBeGreaterThan(0);
  });

  it('a crashing function is an invoke error, and the host serves the next invoke', async () => {
    for (let i = 0; i < 2; i += 1) {
      const crashed = await host.invoke('crash', 'live', '{}');
      expect(crashed.functionError).toBe('Unhandled');
      expect(JSON.parse(crashed.payload)).toMatchObject({
        errorType: 'Runtime.ExitError',
        errorMessage: expect.stringContaining('Runtime exited with error: exit status 1'),
      });
      expect(crashed.logTail).toContain('crashing on');
      // A new environment each time: the crashed one is gone.
      expect(crashed.report?.initDurationMs).toBeGreaterThan(0);
    }
    const next = await host.invoke('good', 'live', '{}');
    expect(next.functionError).toBeUndefined();
  });

  it('an exit during init and a posted init error are invoke errors', async () => {
    const exited = await host.invoke('crash-init', 'live', '{}');
    expect(exited.functionError).toBe('Unhandled');
    expect(JSON.parse(exited.payload).errorMessage).toContain('exit status 2');
    expect(exited.logTail).toContain('dying during init');
    const initError = await host.invoke('init-error', 'live', '{}');
    expect(initError.functionError).toBe('Unhandled');
    expect(JSON.parse(initError.payload)).toEqual({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: 'cannot import handler',
    });
  });

  it('measures a slow init: Init Duration covers the sleep before the first /next', async () => {
    const result = await host.invoke('slow', 'live', '{}');
    expect(result.functionError).toBeUndefined();
    expect(result.report?.initDurationMs).toBeGreaterThanOrEqual(1000);
    expect(result.report?.durationMs).toBeLessThan(1000);
  });

  it('kills a function that runs past its timeout: Sandbox.Timedout, then starts afresh', async () => {
    const slow = await host.invoke('short', 'live', '{"sleep":5}');
    expect(slow.functionError).toBe('Unhandled');
    expect(JSON.parse(slow.payload)).toMatchObject({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringContaining('Task timed out after 1.00 seconds'),
    });
    expect(slow.report?.durationMs).toBeGreaterThanOrEqual(1000);
    expect(slow.report?.durationMs).toBeLessThan(2500);
    const next = await host.invoke('short', 'live', '{}');
    expect(next.functionError).toBeUndefined();
    expect(next.report?.initDurationMs).toBeGreaterThan(0);
  });

  it('unpacks a digest once, however many functions, versions and concurrent callers use it', async () => {
    const freshDir = await world.tempDir();
    // Litter of an unpack whose process died (no PID is this large): swept on open.
    await mkdir(join(freshDir, 'rootfs/.tmp-99999999-dead/root'), { recursive: true });
    const fresh = await FunctionHost.open({ stateDir: freshDir, registryUrl: world.registry.url });
    try {
      await Promise.all([
        fresh.createFunction('a', world.images.good),
        fresh.createFunction('b', world.images.good),
      ]);
      await Promise.all([
        fresh.invoke('a', 'live'),
        fresh.invoke('b', '1'),
        fresh.invoke('a', '$LATEST'),
      ]);
      expect(fresh.images.unpacks).toBe(1);
      const entries = await readdir(join(fresh.options.stateDir, 'rootfs'));
      expect(entries.sort()).toEqual([
        expect.stringMatching(/^[a-f0-9]{64}$/),
        expect.stringMatching(/\.json$/),
      ]);
    } finally {
      await fresh.close();
    }
  });

  it('refuses an image the registry does not have, and unknown functions', async () => {
    const missing = `${world.registry.host}/lambda-test@sha256:${'0'.repeat(64)}`;
    await expect(host.createFunction('ghost', missing)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(host.invoke('ghost', 'live')).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(host.invoke('good', '42')).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});

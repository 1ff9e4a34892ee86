/**
 * Instances run as Lambda runs them, with real images under unshare + chroot (root only): as
 * uid/gid 993 with a writable /tmp sized by EphemeralStorage, the function's environment
 * beneath Lambda's reserved variables, MemorySize enforced, and REPORT lines that say how
 * the platform ended an invocation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReportLine } from '../../services/core/report-line.ts';
import { type LambdaWorld, startLambdaWorld } from '../../test/support/lambda-images.ts';
import { FunctionHost } from './function-host.ts';

describe('configured runtime', () => {
  let world: LambdaWorld<'probe' | 'crash-init' | 'good'>;
  let host: FunctionHost;

  beforeAll(async () => {
    world = await startLambdaWorld(['probe', 'crash-init', 'good']);
    host = await FunctionHost.open({
      stateDir: await world.tempDir(),
      registryUrl: world.registry.url,
    });
    await host.createFunction('probe', world.images.probe, {
      environment: { STAGE: 'test' },
      ephemeralStorageMb: 600,
    });
    await host.createFunction('crash-init', world.images['crash-init']);
    await host.createFunction('good', world.images.good, { timeoutSeconds: 1 });
  }, 120_000);
  afterAll(async () => {
    await host?.close();
    await world?.cleanup();
  });

  it("runs the function as uid/gid 993 with a writable /tmp of EphemeralStorage's size", async () => {
    const result = await host.invoke('probe', 'live', '{}');
    expect(result.functionError).toBeUndefined();
    expect(JSON.parse(result.payload)).toMatchObject({
      uid: 993,
      gid: 993,
      tmpWritable: true,
      tmpKb: 600 * 1024,
    });
  });

  it("gives the process the function's variables beneath Lambda's reserved ones", async () => {
    const result = await host.invoke('probe', 'live', '{}');
    expect(JSON.parse(result.payload)).toMatchObject({
      stage: 'test',
      region: 'us-east-1',
      memory: '128',
      initType: 'on-demand',
    });
  });

  it('kills an instance over its MemorySize: Runtime.OutOfMemory in REPORT, then starts afresh', async () => {
    const hog = await host.invoke('probe', 'live', '{"hogMb":200}');
    expect(hog.functionError).toBe('Unhandled');
    expect(JSON.parse(hog.payload)).toMatchObject({
      errorType: 'Runtime.ExitError',
      errorMessage: expect.stringContaining('Runtime exited with error: signal: killed'),
    });
    expect(hog.report).toMatchObject({ status: 'error', errorType: 'Runtime.OutOfMemory' });
    expect(hog.report?.maxMemoryUsedMb).toBeGreaterThan(128);
    expect(hog.logTail).toMatch(/Status: error\tError Type: Runtime\.OutOfMemory$/m);
    const next = await host.invoke('probe', 'live', '{"hogMb":20}');
    expect(next.functionError).toBeUndefined();
    expect(JSON.parse(next.payload).held).toBe(20 * 1024 * 1024);
    expect(next.report?.status).toBeNull();
  });

  it('reports a timeout as Status: timeout with the configured timeout as Duration', async () => {
    const result = await host.invoke('good', 'live', '{"sleep":3}');
    expect(result.functionError).toBe('Unhandled');
    expect(result.report).toMatchObject({ status: 'timeout', durationMs: 1000 });
    expect(result.report?.maxMemoryUsedMb).not.toBeNull();
    expect(result.logTail).toMatch(
      /^REPORT .*Duration: 1000\.00 ms\t.*Max Memory Used: \d+ MB.*\tStatus: timeout$/m,
    );
    expect(parseReportLine(result.logTail)).toMatchObject({ status: 'timeout' });
  });

  it('reports a failed init with INIT_REPORT and a REPORT without Init Duration', async () => {
    const result = await host.invoke('crash-init', 'live', '{}');
    expect(result.functionError).toBe('Unhandled');
    expect(result.logTail).toMatch(
      /^INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: Runtime\.ExitError$/m,
    );
    expect(result.logTail).not.toMatch(/^REPORT .*Init Duration/m);
    expect(result.report).toMatchObject({
      initDurationMs: null,
      status: 'error',
      errorType: 'Runtime.ExitError',
    });
    expect(parseReportLine(result.logTail)).toMatchObject({
      initDurationMs: null,
      status: 'error',
    });
  });
});

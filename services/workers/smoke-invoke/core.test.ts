import { describe, expect, it, vi } from 'vitest';
import type { InvokeBehavior } from '../../../test/fakes/fake-functions.ts';
import {
  createWorkerWorld,
  FN,
  planDeployment,
  publishNewVersion,
  seedDeployment,
} from '../../../test/support/workflow-state.ts';
import { TransientError } from '../../core/errors.ts';
import { parseInput } from '../parse-input.ts';
import { type SmokeInvokeInput, smokeInvoke, smokeInvokeInputSchema } from './core.ts';

/** A world with the new image published as version 2, and SmokeInvoke's input as the ASL builds it. */
async function setup(
  options: { behavior?: InvokeBehavior; smoke?: Partial<SmokeInvokeInput['smoke']> } = {},
) {
  const world = createWorkerWorld();
  await seedDeployment(world);
  const plan = await planDeployment(world);
  if (options.behavior) world.functions.behaviors.set(world.newDigest, options.behavior);
  const version = await publishNewVersion(world);
  const input = parseInput('SmokeInvoke', smokeInvokeInputSchema, {
    deploymentId: world.id,
    functionName: FN,
    version,
    smoke: { ...plan.smoke, ...options.smoke },
  });
  return { world, input, version };
}

describe('Worker: SmokeInvoke', () => {
  it('passes a good response and reports the cold start from the REPORT line', async () => {
    // Prepare
    const { world, input, version } = await setup({
      behavior: () => ({ payload: { statusCode: 200, body: 'ok' }, initDurationMs: 320 }),
      smoke: { payload: { ping: 1 }, expectStatusCode: 200 },
    });
    const invoke = vi.spyOn(world.functions, 'invoke');

    // Act
    const report = await smokeInvoke(input, world.deps);

    // Assess
    expect(invoke).toHaveBeenCalledExactlyOnceWith(FN, version, '{"ping":1}');
    expect(report).toEqual({
      passed: true,
      verdict: 'pass',
      version,
      statusCode: 200,
      responseExcerpt: '{"statusCode":200,"body":"ok"}',
      initDurationMs: 320,
      durationMs: 12.5,
      maxMemoryUsedMb: 64,
      gates: [expect.objectContaining({ gate: 'init-growth', outcome: 'off', value: 320 })],
    });
    const d = await world.store.get(world.id);
    expect(d?.smoke).toEqual(report);
    expect(d?.steps.find((s) => s.name === 'SmokeInvoke')).toMatchObject({
      outcome: 'succeeded',
      detail: 'passed',
    });
  });

  it('fails with the error message when the new version returns a FunctionError', async () => {
    const { world, input } = await setup({
      behavior: () => ({
        functionError: 'Unhandled',
        payload: { errorType: 'TypeError', errorMessage: 'boom', stackTrace: [] },
      }),
    });

    const report = await smokeInvoke(input, world.deps);

    expect(report).toMatchObject({ passed: false, verdict: 'fail', functionError: 'Unhandled' });
    expect(report.reason).toContain('FunctionError (Unhandled): TypeError: boom');
    expect((await world.store.get(world.id))?.smoke?.passed).toBe(false);
  });

  it('fails when the response statusCode differs from expectStatusCode', async () => {
    const { world, input } = await setup({
      behavior: () => ({ payload: { statusCode: 500, body: 'db down' } }),
      smoke: { expectStatusCode: 200 },
    });

    const report = await smokeInvoke(input, world.deps);

    expect(report.passed).toBe(false);
    expect(report.reason).toBe('response statusCode is 500, expected 200');
  });

  it('fails when the response does not contain the expected JSON subset', async () => {
    const { world, input } = await setup({
      behavior: () => ({ payload: { ok: true, build: { version: '1.2.2' } } }),
      smoke: { expectJsonSubset: { ok: true, build: { version: '1.2.3' } } },
    });

    const report = await smokeInvoke(input, world.deps);

    expect(report.passed).toBe(false);
    expect(report.reason).toMatch(/does not contain the expected JSON/);
  });

  it('fails when the invoke itself returns a non-2xx status', async () => {
    const { world, input } = await setup({ behavior: () => ({ statusCode: 502, payload: {} }) });

    const report = await smokeInvoke(input, world.deps);

    expect(report).toMatchObject({ passed: false, statusCode: 502 });
    expect(report.reason).toMatch(/HTTP status 502, expected 2xx/);
  });

  it('reports a null Init Duration for a warm version and says the gate was not evaluated', async () => {
    // Prepare: the version already ran once (a retry), so this invoke is warm.
    const { world, input, version } = await setup({
      behavior: () => ({ payload: { ok: true }, initDurationMs: 5000 }),
      smoke: { maxInitGrowthRatio: 1.2, liveInitDurationMs: 100 },
    });
    await world.functions.invoke(FN, version, '{}');

    // Act
    const report = await smokeInvoke(input, world.deps);

    // Assess
    expect(report.initDurationMs).toBeNull();
    expect(report).toMatchObject({ passed: true, verdict: 'pass' });
    expect(report.gates?.[0]).toMatchObject({ outcome: 'not-evaluated', value: null, live: 100 });
    expect(report.gates?.[0]?.summary).toMatch(/not reported; gate not evaluated/);
  });

  it('fails the cold-start gate when Init Duration grows over the ratio and above the noise floor', async () => {
    const { world, input } = await setup({
      behavior: () => ({ payload: { ok: true }, initDurationMs: 900 }),
      smoke: { maxInitGrowthRatio: 2, minInitDeltaMs: 50, liveInitDurationMs: 200 },
    });

    const report = await smokeInvoke(input, world.deps);

    expect(report).toMatchObject({ passed: false, verdict: 'reject', initDurationMs: 900 });
    expect(report.reason).toMatch(
      /init-growth gate failed: Init Duration 900\.0 ms vs 200\.0 ms live \(4\.50×, \+700\.0 ms\), limit 2×/,
    );
    expect(report.gates).toEqual([
      expect.objectContaining({ outcome: 'failed', value: 900, live: 200, ratio: 4.5, delta: 700 }),
    ]);
    const d = await world.store.get(world.id);
    expect(d?.steps.find((s) => s.name === 'SmokeInvoke')?.detail).toMatch(/^rejected: /);
  });

  it('fails (not rejects) a misbehaving version even when its cold start also grew', async () => {
    const { world, input } = await setup({
      behavior: () => ({
        functionError: 'Unhandled',
        payload: { errorMessage: 'x' },
        initDurationMs: 900,
      }),
      smoke: { maxInitGrowthRatio: 2, minInitDeltaMs: 50, liveInitDurationMs: 200 },
    });

    const report = await smokeInvoke(input, world.deps);

    expect(report).toMatchObject({ verdict: 'fail' });
    expect(report.reason).not.toMatch(/gate/);
    expect(report.gates?.[0]?.outcome).toBe('failed');
  });

  it('returns the recorded report on a retried attempt instead of invoking the version again (warm)', async () => {
    // Prepare: the first attempt invoked (cold) and stored its report, then its step record failed.
    const { world, input } = await setup({
      behavior: () => ({ payload: { ok: true }, initDurationMs: 900 }),
      smoke: { maxInitGrowthRatio: 2, minInitDeltaMs: 50, liveInitDurationMs: 200 },
    });
    const first = await smokeInvoke(input, world.deps);
    const invoke = vi.spyOn(world.functions, 'invoke');

    // Act
    const again = await smokeInvoke(input, world.deps);

    // Assess
    expect(invoke).not.toHaveBeenCalled();
    expect(again).toEqual(first);
    expect(again).toMatchObject({ verdict: 'reject', initDurationMs: 900 });
  });

  it('retries a transient failure to store the report rather than lose the cold start', async () => {
    const { world, input } = await setup({
      behavior: () => ({ payload: { ok: true }, initDurationMs: 900 }),
    });
    const update = vi
      .spyOn(world.store, 'update')
      .mockRejectedValueOnce(new TransientError('throttled'));

    const report = await smokeInvoke(input, world.deps);

    expect(update).toHaveBeenCalledTimes(2);
    expect((await world.store.get(world.id))?.smoke).toEqual(report);
  });

  it('passes the cold-start gate when the growth is over the ratio but below the noise floor', async () => {
    const { world, input } = await setup({
      behavior: () => ({ payload: { ok: true }, initDurationMs: 60 }),
      smoke: { maxInitGrowthRatio: 2, minInitDeltaMs: 50, liveInitDurationMs: 20 },
    });

    const report = await smokeInvoke(input, world.deps);

    expect(report).toMatchObject({ passed: true, initDurationMs: 60 });
  });

  it('keeps only the first 512 characters of the response', async () => {
    const { world, input } = await setup({ behavior: () => ({ payload: 'x'.repeat(2000) }) });

    const report = await smokeInvoke(input, world.deps);

    expect(report.responseExcerpt).toHaveLength(512);
  });

  it('propagates invoke errors unchanged so the workflow can retry them', async () => {
    const { world, input } = await setup();
    vi.spyOn(world.functions, 'invoke').mockRejectedValueOnce(new TransientError('throttled'));

    await expect(smokeInvoke(input, world.deps)).rejects.toMatchObject({ name: 'TransientError' });
    expect((await world.store.get(world.id))?.smoke).toBeUndefined();
  });

  it('reads the figures from the log tail when the adapter gave no parsed report', async () => {
    const { world, input, version } = await setup();
    const real = await world.functions.invoke(FN, version, '{}');
    vi.spyOn(world.functions, 'invoke').mockResolvedValueOnce({
      ...real,
      report: null,
      logTail: `START\nREPORT RequestId: r1\tDuration: 3.20 ms\tBilled Duration: 4 ms\tMemory Size: 512 MB\tMax Memory Used: 70 MB\tInit Duration: 410.55 ms\n`,
    });

    const report = await smokeInvoke(input, world.deps);

    expect(report).toMatchObject({ initDurationMs: 410.55, durationMs: 3.2, maxMemoryUsedMb: 70 });
  });
});

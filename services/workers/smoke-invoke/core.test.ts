import { describe, expect, it, vi } from 'vitest';
import type { InvokeBehavior } from '../../../test/fakes/fake-functions.ts';
import { FN } from '../../../test/support/workflow-state.ts';
import { TransientError } from '../../core/errors.ts';
import { smokeInvoke } from './core.ts';
import { smokeWorld } from './smoke-world.ts';

const setup = smokeWorld;

/** Answers each invoke in turn with the next behaviour (the last one repeats). */
function inTurn(...behaviors: InvokeBehavior[]): InvokeBehavior {
  let i = 0;
  return (payload) => (behaviors[Math.min(i++, behaviors.length - 1)] as InvokeBehavior)(payload);
}

describe('Worker: SmokeInvoke', () => {
  it('invokes the new version five times at once and reports their cold starts', async () => {
    // Prepare
    const { world, input, version } = await setup({
      behavior: () => ({ payload: { statusCode: 200, body: 'ok' }, initDurationMs: 320 }),
      smoke: { payload: { ping: 1 }, expectStatusCode: 200 },
    });
    const concurrently = vi.spyOn(world.functions, 'invokeConcurrently');

    // Act
    const report = await smokeInvoke(input, world.deps);

    // Assess
    expect(concurrently).toHaveBeenCalledExactlyOnceWith(FN, version, '{"ping":1}', 5);
    expect(report).toEqual({
      passed: true,
      verdict: 'pass',
      version,
      statusCode: 200,
      responseExcerpt: '{"statusCode":200,"body":"ok"}',
      initDurationMs: 320,
      durationMs: 12.5,
      maxMemoryUsedMb: 64,
      coldStarts: expect.objectContaining({
        n: 5,
        medianMs: 320,
        samplesMs: [320, 320, 320, 320, 320],
      }),
      gates: [expect.objectContaining({ gate: 'init-growth', outcome: 'off', value: 320 })],
    });
    const d = await world.store.get(world.id);
    expect(d?.smoke).toEqual(report);
    expect(d?.steps.find((s) => s.name === 'SmokeInvoke')).toMatchObject({
      outcome: 'succeeded',
      detail: 'passed',
    });
  });

  it('asks for as many cold starts as the settings say', async () => {
    const { world, input, version } = await setup({ smoke: { samples: 7 } });
    const concurrently = vi.spyOn(world.functions, 'invokeConcurrently');

    const report = await smokeInvoke(input, world.deps);

    expect(concurrently).toHaveBeenCalledExactlyOnceWith(FN, version, '{}', 7);
    expect(report.coldStarts?.n).toBe(7);
  });

  it('fails with the error message when any invoke returns a FunctionError, and shows that one', async () => {
    const ok: InvokeBehavior = () => ({ payload: { ok: true } });
    const { world, input } = await setup({
      behavior: inTurn(ok, ok, () => ({
        functionError: 'Unhandled',
        payload: { errorType: 'TypeError', errorMessage: 'boom', stackTrace: [] },
      })),
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

  it('returns the recorded report on a retried attempt instead of invoking the version again (warm)', async () => {
    // Prepare: the first attempt invoked (cold) and stored its report, then its step record failed.
    const { world, input } = await setup({
      behavior: () => ({ payload: { ok: true }, initDurationMs: 900 }),
      smoke: { maxInitGrowthRatio: 2, minInitDeltaMs: 50, liveInitDurationMs: 200 },
    });
    const first = await smokeInvoke(input, world.deps);
    const invoke = vi.spyOn(world.functions, 'invoke');
    const concurrently = vi.spyOn(world.functions, 'invokeConcurrently');

    // Act
    const again = await smokeInvoke(input, world.deps);

    // Assess
    expect(invoke).not.toHaveBeenCalled();
    expect(concurrently).not.toHaveBeenCalled();
    expect(again).toEqual(first);
    expect(again).toMatchObject({ verdict: 'reject', initDurationMs: 900 });
  });

  it('retries a transient failure to store the report rather than lose the cold starts', async () => {
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

  it('keeps only the first 512 characters of the response', async () => {
    const { world, input } = await setup({ behavior: () => ({ payload: 'x'.repeat(2000) }) });

    const report = await smokeInvoke(input, world.deps);

    expect(report.responseExcerpt).toHaveLength(512);
  });

  it('propagates invoke errors unchanged so the workflow can retry them', async () => {
    const { world, input } = await setup();
    vi.spyOn(world.functions, 'invokeConcurrently').mockRejectedValueOnce(
      new TransientError('throttled'),
    );

    await expect(smokeInvoke(input, world.deps)).rejects.toMatchObject({ name: 'TransientError' });
    expect((await world.store.get(world.id))?.smoke).toBeUndefined();
  });

  it('reads the figures from the log tail when the adapter gave no parsed report', async () => {
    const { world, input, version } = await setup();
    const real = await world.functions.invoke(FN, version, '{}');
    const parsed = {
      ...real,
      report: null,
      logTail: `START\nREPORT RequestId: r1\tDuration: 3.20 ms\tBilled Duration: 4 ms\tMemory Size: 512 MB\tMax Memory Used: 70 MB\tInit Duration: 410.55 ms\n`,
    };
    vi.spyOn(world.functions, 'invokeConcurrently').mockResolvedValueOnce([parsed, parsed, parsed]);

    const report = await smokeInvoke(input, world.deps);

    expect(report).toMatchObject({ initDurationMs: 410.55, durationMs: 3.2, maxMemoryUsedMb: 70 });
    expect(report.coldStarts?.n).toBe(3);
  });
});

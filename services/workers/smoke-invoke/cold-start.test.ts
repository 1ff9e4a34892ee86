/**
 * SmokeInvoke's cold-start gate: samples of the new version, the live baseline (recorded, or
 * measured side by side where the port can), verdicts kept per digest, rollbacks not held to it.
 */
import { describe, expect, it, vi } from 'vitest';
import type { FakeFunctions, InvokeBehavior } from '../../../test/fakes/fake-functions.ts';
import {
  createWorkerWorld,
  FN,
  publishNewVersion,
  seedDeployment,
} from '../../../test/support/workflow-state.ts';
import { sampleOf } from '../../core/cold-start.ts';
import type { ColdStartVerdict } from '../../core/cold-start-verdict.ts';
import { TransientError } from '../../core/errors.ts';
import { parseInput } from '../parse-input.ts';
import { smokeInvoke, smokeInvokeInputSchema } from './core.ts';
import { smokeWorld } from './smoke-world.ts';

const GATE = { maxInitGrowthRatio: 2, minInitDeltaMs: 50 };
const LIVE_200 = sampleOf([200, 198, 202, 199, 201]);

function setup(options: Parameters<typeof smokeWorld>[0] = {}) {
  return smokeWorld({ ...options, smoke: { ...GATE, liveColdStarts: LIVE_200, ...options.smoke } });
}

/** An Init Duration per invoke, in order (the last one repeats). */
function inits(...figures: number[]): InvokeBehavior {
  let i = 0;
  return () => ({
    payload: { ok: true },
    initDurationMs: figures[Math.min(i++, figures.length - 1)],
  });
}

/** A verdict recorded for the world's new digest by an earlier deployment. */
function recordedVerdict(
  world: ReturnType<typeof createWorkerWorld>,
  overrides: Partial<ColdStartVerdict> = {},
): ColdStartVerdict {
  return {
    functionName: FN,
    digest: world.newDigest,
    outcome: 'failed',
    deploymentId: 'd-EARLIER',
    version: '2',
    judgedAt: '2026-11-28T11:00:00.000Z',
    settings: { ...GATE, samples: 5 },
    gate: {
      gate: 'init-growth',
      outcome: 'failed',
      blocks: true,
      unit: 'ms',
      value: 900,
      live: 200,
      ratio: 4.5,
      delta: 700,
      maxRatio: 2,
      minDelta: 50,
      sample: sampleOf([900, 900, 900, 900, 900]),
      liveSample: LIVE_200,
      baseline: 'recorded',
      summary: 'median Init Duration 900.0 ms … cold start grew',
    },
    ...overrides,
  };
}

describe('Worker: SmokeInvoke, the cold-start gate', () => {
  it('rejects on the median of the cold starts and records the verdict for the digest', async () => {
    const { world, input, version } = await setup({ behavior: inits(900, 905, 895, 910, 890) });

    const report = await smokeInvoke(input, world.deps);

    expect(report).toMatchObject({ passed: false, verdict: 'reject', initDurationMs: 900 });
    expect(report.reason).toMatch(
      /^init-growth gate failed: median Init Duration 900\.0 ms \(IQR 895\.0–905\.0, n=5\) vs live 200\.0 ms \(IQR 199\.0–201\.0, n=5, recorded\): 4\.50×, \+700\.0 ms, limit 2×/,
    );
    expect(await world.store.getVerdict(FN, world.newDigest)).toMatchObject({
      outcome: 'failed',
      deploymentId: world.id,
      version,
      settings: { maxInitGrowthRatio: 2, minInitDeltaMs: 50, samples: 5 },
      gate: { outcome: 'failed', value: 900 },
    });
    const d = await world.store.get(world.id);
    expect(d?.steps.find((s) => s.name === 'SmokeInvoke')?.detail).toMatch(/^rejected: /);
  });

  it('is not moved by one slow cold start', async () => {
    const { world, input } = await setup({ behavior: inits(450, 205, 199, 210, 202) });

    const report = await smokeInvoke(input, world.deps);

    expect(report).toMatchObject({ passed: true, initDurationMs: 205 });
    expect(report.gates?.[0]).toMatchObject({ outcome: 'passed', value: 205 });
  });

  it('passes growth over the ratio but within the noise floor', async () => {
    const { world, input } = await setup({
      behavior: inits(60),
      smoke: { liveColdStarts: sampleOf([20, 20, 20]) },
    });

    const report = await smokeInvoke(input, world.deps);

    expect(report).toMatchObject({ passed: true, initDurationMs: 60 });
  });

  it('says inconclusive, not passed, when the version is warm and no verdict was recorded', async () => {
    const { world, input, version } = await setup({ behavior: inits(5000) });
    await world.functions.invokeConcurrently(FN, version, '{}', 5);

    const report = await smokeInvoke(input, world.deps);

    expect(report).toMatchObject({ passed: true, verdict: 'pass', initDurationMs: null });
    expect(report.gates?.[0]).toMatchObject({ outcome: 'inconclusive', blocks: false, live: 200 });
    expect(report.gates?.[0]?.summary).toContain('0 of 5 invokes were cold starts');
  });

  it('blocks on an inconclusive result when the settings say so', async () => {
    const { world, input, version } = await setup({ smoke: { inconclusiveBlocks: true } });
    await world.functions.invokeConcurrently(FN, version, '{}', 5);

    const report = await smokeInvoke(input, world.deps);

    expect(report).toMatchObject({ passed: false, verdict: 'reject' });
    expect(report.reason).toMatch(/^init-growth gate inconclusive: /);
  });

  it('fails (not rejects) a misbehaving version whose cold start also grew, and records no verdict', async () => {
    const { world, input } = await setup({
      behavior: () => ({
        functionError: 'Unhandled',
        payload: { errorMessage: 'x' },
        initDurationMs: 900,
      }),
    });

    const report = await smokeInvoke(input, world.deps);

    expect(report).toMatchObject({ verdict: 'fail' });
    expect(report.reason).not.toMatch(/gate/);
    // The figures are still shown: the runtime reported each start.
    expect(report.gates?.[0]).toMatchObject({ outcome: 'failed', value: 900 });
    expect(await world.store.getVerdict(FN, world.newDigest)).toBeNull();
  });

  it('reuses the verdict recorded for the digest: one invoke for the checks, the gate as judged', async () => {
    const { world, input, version } = await setup({ behavior: inits(210) });
    await world.store.putVerdict(recordedVerdict(world));
    const invoke = vi.spyOn(world.functions, 'invoke');
    const concurrently = vi.spyOn(world.functions, 'invokeConcurrently');

    const report = await smokeInvoke(input, world.deps);

    expect(invoke).toHaveBeenCalledExactlyOnceWith(FN, version, '{}');
    expect(concurrently).not.toHaveBeenCalled();
    expect(report).toMatchObject({ passed: false, verdict: 'reject', initDurationMs: 900 });
    expect(report.gates?.[0]).toMatchObject({
      outcome: 'failed',
      blocks: true,
      reusedFrom: 'd-EARLIER',
    });
    expect(report.reason).toContain(
      'the verdict d-EARLIER recorded for this digest at 2026-11-28T11:00:00.000Z, reused',
    );
    expect(report.coldStarts).toMatchObject({ n: 5, medianMs: 900 });
  });

  it('still fails the smoke checks of a version whose digest has a passed verdict', async () => {
    const { world, input } = await setup({
      behavior: () => ({ functionError: 'Unhandled', payload: { errorMessage: 'x' } }),
    });
    await world.store.putVerdict(recordedVerdict(world, { outcome: 'passed' }));

    const report = await smokeInvoke(input, world.deps);

    expect(report).toMatchObject({ passed: false, verdict: 'fail' });
  });

  it('judges again under other settings, and measures again after an inconclusive verdict', async () => {
    for (const verdict of [
      (w: ReturnType<typeof createWorkerWorld>) =>
        recordedVerdict(w, { settings: { ...GATE, maxInitGrowthRatio: 5, samples: 5 } }),
      (w: ReturnType<typeof createWorkerWorld>) => recordedVerdict(w, { outcome: 'inconclusive' }),
    ]) {
      const { world, input } = await setup({ behavior: inits(205) });
      await world.store.putVerdict(verdict(world));

      const report = await smokeInvoke(input, world.deps);

      expect(report).toMatchObject({ passed: true, initDurationMs: 205 });
      expect(report.gates?.[0]?.reusedFrom).toBeUndefined();
      expect(await world.store.getVerdict(FN, world.newDigest)).toMatchObject({
        outcome: 'passed',
        deploymentId: world.id,
      });
    }
  });

  it('retries a transient failure to record the verdict: a retried step could not measure again', async () => {
    const { world, input } = await setup({ behavior: inits(900) });
    const put = vi
      .spyOn(world.store, 'putVerdict')
      .mockRejectedValueOnce(new TransientError('throttled'));

    await smokeInvoke(input, world.deps);

    expect(put).toHaveBeenCalledTimes(2);
    expect((await world.store.getVerdict(FN, world.newDigest))?.outcome).toBe('failed');
  });

  it('reports but does not block a rollback whose cold start is slower, and records no verdict', async () => {
    const { world, input } = await setup({ behavior: inits(900), smoke: { enforceGrowth: false } });

    const report = await smokeInvoke(input, world.deps);

    expect(report).toMatchObject({ passed: true, verdict: 'pass', initDurationMs: 900 });
    expect(report.gates?.[0]).toMatchObject({ outcome: 'failed', blocks: false });
    expect(report.gates?.[0]?.summary).toContain('reported only: a rollback');
    expect(await world.store.getVerdict(FN, world.newDigest)).toBeNull();
  });

  it('does not block a rollback to a digest with a failed verdict either', async () => {
    const { world, input } = await setup({ smoke: { enforceGrowth: false } });
    await world.store.putVerdict(recordedVerdict(world));

    const report = await smokeInvoke(input, world.deps);

    expect(report).toMatchObject({ passed: true, verdict: 'pass' });
    expect(report.gates?.[0]).toMatchObject({
      outcome: 'failed',
      blocks: false,
      reusedFrom: 'd-EARLIER',
    });
  });

  it('measures the live version side by side where the port can, in preference to its record', async () => {
    // The live version (v1) starts in 150 ms now; its record says 200.
    const { world, input, version } = await setup({ behavior: inits(160), pairedColdStarts: true });
    const paired = vi.spyOn(world.functions as Required<FakeFunctions>, 'pairedColdStarts');
    const concurrently = vi.spyOn(world.functions, 'invokeConcurrently');

    const report = await smokeInvoke(input, world.deps);

    expect(paired).toHaveBeenCalledExactlyOnceWith(FN, version, '1', '{}', 5);
    expect(concurrently).not.toHaveBeenCalled();
    expect(report.gates?.[0]).toMatchObject({ outcome: 'passed', baseline: 'paired', live: 150 });
    expect(report.gates?.[0]?.summary).toContain('vs live 150.0 ms (IQR 150.0–150.0, n=5, paired)');
  });

  it('falls back to the recorded figures when the live version gave too few cold starts', async () => {
    const { world, input } = await setup({ behavior: inits(205), pairedColdStarts: true });
    // The live version answers with an error: its starts are no baseline.
    world.functions.behaviors.set(world.liveDigest, () => ({
      functionError: 'Unhandled',
      payload: { errorMessage: 'live is broken' },
    }));

    const report = await smokeInvoke(input, world.deps);

    expect(report.gates?.[0]).toMatchObject({ outcome: 'passed', baseline: 'recorded', live: 200 });
  });

  it('reads a state an older Prepare wrote: one recorded figure, five samples', async () => {
    const world = createWorkerWorld();
    await seedDeployment(world);
    world.functions.behaviors.set(world.newDigest, inits(900));
    const version = await publishNewVersion(world);
    const input = parseInput('SmokeInvoke', smokeInvokeInputSchema, {
      deploymentId: world.id,
      functionName: FN,
      version,
      digest: world.newDigest,
      smoke: { payload: {}, ...GATE, liveInitDurationMs: 200 },
    });

    const report = await smokeInvoke(input, world.deps);

    expect(report).toMatchObject({ verdict: 'reject', coldStarts: { n: 5 } });
    expect(report.reason).toContain('vs live 200.0 ms (n=1, recorded)');
  });
});

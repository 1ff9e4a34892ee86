import { describe, expect, it } from 'vitest';
import { evaluateInitGrowth, evaluateSizeGrowth, failedGateReasons } from './gates.ts';

const MiB = 1024 ** 2;
const gate = { maxInitGrowthRatio: 1.5, minInitDeltaMs: 50 };

describe('Function: evaluateInitGrowth', () => {
  it('fails growth beyond the ratio and the noise floor, with the figures side by side', () => {
    // Act
    const result = evaluateInitGrowth({ ...gate, initDurationMs: 500, liveInitDurationMs: 200 });

    // Assess
    expect(result).toEqual({
      gate: 'init-growth',
      outcome: 'failed',
      unit: 'ms',
      value: 500,
      live: 200,
      ratio: 2.5,
      delta: 300,
      maxRatio: 1.5,
      minDelta: 50,
      summary: expect.stringContaining('500.0 ms vs 200.0 ms live (2.50×, +300.0 ms), limit 1.5×'),
    });
    expect(result.summary).toContain('50 ms noise floor');
  });

  it('passes growth beyond the ratio that stays within the noise floor', () => {
    // 60 ms vs 20 ms is 3×, but only 40 ms more: noise.
    const result = evaluateInitGrowth({ ...gate, initDurationMs: 60, liveInitDurationMs: 20 });
    expect(result).toMatchObject({ outcome: 'passed', ratio: 3, delta: 40 });
  });

  it('passes growth beyond the noise floor that stays within the ratio', () => {
    const result = evaluateInitGrowth({ ...gate, initDurationMs: 290, liveInitDurationMs: 200 });
    expect(result).toMatchObject({ outcome: 'passed', ratio: 1.45, delta: 90 });
  });

  it('passes exactly at the ratio and exactly at the noise floor (the limits are inclusive)', () => {
    expect(
      evaluateInitGrowth({ ...gate, initDurationMs: 300, liveInitDurationMs: 200 }).outcome,
    ).toBe('passed');
    expect(
      evaluateInitGrowth({
        maxInitGrowthRatio: 1.1,
        minInitDeltaMs: 50,
        initDurationMs: 150,
        liveInitDurationMs: 100,
      }).outcome,
    ).toBe('passed');
    expect(
      evaluateInitGrowth({
        maxInitGrowthRatio: 1.1,
        minInitDeltaMs: 50,
        initDurationMs: 150.5,
        liveInitDurationMs: 100,
      }).outcome,
    ).toBe('failed');
  });

  it('passes a faster cold start, with a negative delta', () => {
    const result = evaluateInitGrowth({ ...gate, initDurationMs: 150, liveInitDurationMs: 300 });
    expect(result).toMatchObject({ outcome: 'passed', ratio: 0.5, delta: -150 });
    expect(result.summary).toContain('(0.50×, −150.0 ms)');
  });

  it('does not evaluate when the new version reported no Init Duration, and says so', () => {
    const result = evaluateInitGrowth({ ...gate, initDurationMs: null, liveInitDurationMs: 200 });
    expect(result).toMatchObject({
      outcome: 'not-evaluated',
      value: null,
      ratio: null,
      delta: null,
    });
    expect(result.summary).toMatch(
      /Init Duration not reported; gate not evaluated: the new version reported no Init Duration/,
    );
  });

  it('does not evaluate when the live release has no recorded Init Duration, and says so', () => {
    const result = evaluateInitGrowth({ ...gate, initDurationMs: 9000, liveInitDurationMs: null });
    expect(result).toMatchObject({ outcome: 'not-evaluated', value: 9000, live: null });
    expect(result.summary).toMatch(
      /gate not evaluated: the live release has no recorded Init Duration/,
    );
  });

  it('lets the noise floor alone decide when the live Init Duration is zero (no ratio)', () => {
    const big = evaluateInitGrowth({ ...gate, initDurationMs: 80, liveInitDurationMs: 0 });
    expect(big).toMatchObject({ outcome: 'failed', ratio: null, delta: 80 });
    expect(big.summary).toContain('from zero');
    const small = evaluateInitGrowth({ ...gate, initDurationMs: 30, liveInitDurationMs: 0 });
    expect(small).toMatchObject({ outcome: 'passed', ratio: null, delta: 30 });
  });

  it('is off without maxInitGrowthRatio but still shows the figures', () => {
    const result = evaluateInitGrowth({
      minInitDeltaMs: 50,
      initDurationMs: 9000,
      liveInitDurationMs: 10,
    });
    expect(result).toMatchObject({ outcome: 'off', maxRatio: null, ratio: 900, delta: 8990 });
    expect(failedGateReasons([result])).toEqual([]);
  });
});

describe('Function: evaluateSizeGrowth', () => {
  it('fails growth over the max ratio with both sizes, ratio and delta', () => {
    const result = evaluateSizeGrowth({
      compressedBytes: 60 * MiB,
      liveCompressedBytes: 40 * MiB,
      maxGrowthRatio: 1.2,
    });
    expect(result).toMatchObject({
      gate: 'size-growth',
      outcome: 'failed',
      unit: 'bytes',
      value: 60 * MiB,
      live: 40 * MiB,
      ratio: 1.5,
      delta: 20 * MiB,
      maxRatio: 1.2,
      minDelta: null,
    });
    expect(result.summary).toContain('60.0 MiB vs 40.0 MiB live (1.50×, +20.0 MiB), limit 1.2×');
  });

  it('passes growth exactly at the max ratio', () => {
    const result = evaluateSizeGrowth({
      compressedBytes: 150,
      liveCompressedBytes: 100,
      maxGrowthRatio: 1.5,
    });
    expect(result).toMatchObject({ outcome: 'passed', ratio: 1.5 });
  });

  it('does not evaluate without a live size, and says so', () => {
    const result = evaluateSizeGrowth({
      compressedBytes: 10,
      liveCompressedBytes: null,
      maxGrowthRatio: 1.5,
    });
    expect(result).toMatchObject({ outcome: 'not-evaluated', ratio: null, live: null });
    expect(result.summary).toContain('no live release size');
  });

  it('is off when maxGrowthRatio is null', () => {
    const result = evaluateSizeGrowth({
      compressedBytes: 300,
      liveCompressedBytes: 100,
      maxGrowthRatio: null,
    });
    expect(result).toMatchObject({ outcome: 'off', ratio: 3 });
  });
});

describe('Function: failedGateReasons', () => {
  it('shows a shrink too small for the unit as +0.0, not −0.0', () => {
    const r = evaluateSizeGrowth({
      compressedBytes: 1024 ** 2 - 100,
      liveCompressedBytes: 1024 ** 2,
      maxGrowthRatio: 1.5,
    });
    expect(r.summary).toContain('(1.00×, +0.0 MiB)');
    expect(r.delta).toBe(-100);
  });

  it('names each failed gate with its figures', () => {
    const failed = evaluateInitGrowth({ ...gate, initDurationMs: 500, liveInitDurationMs: 200 });
    const passed = evaluateInitGrowth({ ...gate, initDurationMs: 200, liveInitDurationMs: 200 });
    expect(failedGateReasons([failed, passed])).toEqual([
      `init-growth gate failed: ${failed.summary}`,
    ]);
  });
});

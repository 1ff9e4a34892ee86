import { describe, expect, it } from 'vitest';
import { blockingGateReasons, evaluateSizeGrowth } from './gates.ts';

const MiB = 1024 ** 2;

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

describe('Function: evaluateSizeGrowth on a rollback', () => {
  it('reports growth over the ratio without blocking, and says why', () => {
    const result = evaluateSizeGrowth({
      compressedBytes: 90 * MiB,
      liveCompressedBytes: 40 * MiB,
      maxGrowthRatio: 1.5,
      enforced: false,
    });
    expect(result).toMatchObject({ outcome: 'failed', blocks: false, ratio: 2.25 });
    expect(result.summary).toContain('reported only: a rollback restores an earlier release');
    expect(blockingGateReasons([result])).toEqual([]);
  });
});

describe('Function: blockingGateReasons', () => {
  it('shows a shrink too small for the unit as +0.0, not −0.0', () => {
    const r = evaluateSizeGrowth({
      compressedBytes: 1024 ** 2 - 100,
      liveCompressedBytes: 1024 ** 2,
      maxGrowthRatio: 1.5,
    });
    expect(r.summary).toContain('(1.00×, +0.0 MiB)');
    expect(r.delta).toBe(-100);
  });

  it('names each blocking gate with its outcome and figures', () => {
    const failed = evaluateSizeGrowth({
      compressedBytes: 500,
      liveCompressedBytes: 200,
      maxGrowthRatio: 1.5,
    });
    const passed = evaluateSizeGrowth({
      compressedBytes: 200,
      liveCompressedBytes: 200,
      maxGrowthRatio: 1.5,
    });
    expect(blockingGateReasons([failed, passed])).toEqual([
      `size-growth gate failed: ${failed.summary}`,
    ]);
  });

  it('treats a stored result without `blocks` (an older record) as blocking when it failed', () => {
    const { blocks: _, ...older } = evaluateSizeGrowth({
      compressedBytes: 500,
      liveCompressedBytes: 200,
      maxGrowthRatio: 1.5,
    });
    expect(blockingGateReasons([older])).toHaveLength(1);
    expect(blockingGateReasons([{ ...older, outcome: 'inconclusive', blocks: true }])).toEqual([
      `size-growth gate inconclusive: ${older.summary}`,
    ]);
  });
});

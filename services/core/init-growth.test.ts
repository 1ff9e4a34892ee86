import { describe, expect, it } from 'vitest';
import { type ColdStartSample, sampleOf } from './cold-start.ts';
import { blockingGateReasons } from './gates.ts';
import { evaluateInitGrowth, type InitGrowthFigures } from './init-growth.ts';

const of = (...figures: number[]) => sampleOf(figures) as ColdStartSample;
const gate = { maxInitGrowthRatio: 1.5, minInitDeltaMs: 50, requested: 5 } as const;
const figures = (f: Partial<InitGrowthFigures>): InitGrowthFigures => ({
  ...gate,
  sample: null,
  live: null,
  baseline: 'recorded',
  ...f,
});

describe('Function: evaluateInitGrowth', () => {
  it('compares the medians and says what was compared: statistic, spread, n, baseline', () => {
    const result = evaluateInitGrowth(
      figures({
        sample: of(41.2, 38.9, 44.0, 40.0, 42.0),
        live: of(40.6, 39.0, 41.8, 40.1, 42.2),
        baseline: 'paired',
      }),
    );
    expect(result).toMatchObject({
      gate: 'init-growth',
      outcome: 'passed',
      blocks: false,
      value: 41.2,
      live: 40.6,
      ratio: 1.015,
      delta: 0.6,
      baseline: 'paired',
    });
    expect(result.summary).toBe(
      'median Init Duration 41.2 ms (IQR 40.0–42.0, n=5) vs live 40.6 ms (IQR 40.1–41.8, n=5, paired): 1.01×, +0.6 ms, limit 1.5× beyond a 50 ms noise floor',
    );
    expect(result.sample?.samplesMs).toHaveLength(5);
    expect(result.liveSample?.n).toBe(5);
  });

  it('is not moved by one slow cold start: the median stays with the others', () => {
    const result = evaluateInitGrowth(
      figures({
        minInitDeltaMs: 100,
        sample: of(157.9, 41.2, 39.8, 44.0, 38.9),
        live: of(40.6),
      }),
    );
    expect(result).toMatchObject({ outcome: 'passed', value: 41.2 });
  });

  it('fails growth of the medians beyond the ratio and the noise floor when the quartiles agree', () => {
    const result = evaluateInitGrowth(
      figures({ sample: of(500, 510, 490, 505, 495), live: of(200, 205, 195, 210, 190) }),
    );
    expect(result).toMatchObject({
      outcome: 'failed',
      blocks: true,
      value: 500,
      live: 200,
      ratio: 2.5,
      delta: 300,
      maxRatio: 1.5,
      minDelta: 50,
    });
    expect(result.summary).toContain(
      'median Init Duration 500.0 ms (IQR 495.0–505.0, n=5) vs live 200.0 ms (IQR 195.0–205.0, n=5, recorded): 2.50×, +300.0 ms, limit 1.5× beyond a 50 ms noise floor: cold start grew',
    );
    expect(blockingGateReasons([result])).toEqual([`init-growth gate failed: ${result.summary}`]);
  });

  it('applies the limits to the medians, inclusively', () => {
    const at = (value: number, live: number, ratio = 1.5) =>
      evaluateInitGrowth(
        figures({ maxInitGrowthRatio: ratio, sample: of(value, value, value), live: of(live) }),
      ).outcome;
    expect(at(300, 200)).toBe('passed'); // exactly 1.5×
    expect(at(60, 20)).toBe('passed'); // 3×, but within the 50 ms floor
    expect(at(290, 200)).toBe('passed'); // beyond the floor, within the ratio
    expect(at(150, 100, 1.1)).toBe('passed'); // exactly at the floor
    expect(at(150.5, 100, 1.1)).toBe('failed');
  });

  it('is inconclusive when the live upper quartile reaches the new median back under the limit', () => {
    // Medians 500 vs 200 ms; the new lower quartile is well over the live median, but the live
    // sample's upper half reaches 400 ms.
    const result = evaluateInitGrowth(
      figures({ sample: of(480, 490, 500, 510, 520), live: of(150, 190, 200, 400, 420) }),
    );
    expect(result).toMatchObject({ outcome: 'inconclusive', value: 500, live: 200 });
  });

  it('is inconclusive when the medians are over the limit but the spreads reach back under it', () => {
    const sample = of(100, 150, 400, 420, 430);
    const live = of(200, 210, 220, 230, 240);
    const result = evaluateInitGrowth(figures({ sample, live }));
    expect(result).toMatchObject({ outcome: 'inconclusive', blocks: false, value: 400 });
    expect(result.summary).toContain(
      'inconclusive: the medians are over the limit but the spreads reach back under it (the new lower quartile 150.0 ms vs the live median 220.0 ms, the new median 400.0 ms vs the live upper quartile 230.0 ms); does not block the release (coldStart.inconclusiveBlocks is off)',
    );
    expect(blockingGateReasons([result])).toEqual([]);
    const strict = evaluateInitGrowth(figures({ sample, live, inconclusiveBlocks: true }));
    expect(strict).toMatchObject({ outcome: 'inconclusive', blocks: true });
    expect(blockingGateReasons([strict])).toEqual([
      `init-growth gate inconclusive: ${strict.summary}`,
    ]);
  });

  it('is inconclusive with fewer than 3 cold starts, however big the growth', () => {
    const result = evaluateInitGrowth(figures({ sample: of(2026.8, 2031.5), live: of(23.1) }));
    expect(result).toMatchObject({ outcome: 'inconclusive', blocks: false, value: 2029.15 });
    expect(result.summary).toContain('(IQR 2028.0–2030.3, n=2, of 5 invokes)');
    expect(result.summary).toContain(
      'inconclusive: 2 of 5 invokes were cold starts, fewer than the 3 a verdict needs',
    );
  });

  it('is inconclusive when no invoke was a cold start (a warm version), never passed', () => {
    const result = evaluateInitGrowth(figures({ sample: null, live: of(23.1) }));
    expect(result).toMatchObject({ outcome: 'inconclusive', value: null, ratio: null });
    expect(result.summary).toMatch(
      /^Init Duration not reported vs live 23\.1 ms \(n=1, recorded\), limit .*: inconclusive: 0 of 5 invokes were cold starts/,
    );
  });

  it('does not evaluate without a live figure, and says so', () => {
    const result = evaluateInitGrowth(figures({ sample: of(9000, 9000, 9000) }));
    expect(result).toMatchObject({ outcome: 'not-evaluated', blocks: false, live: null });
    expect(result.summary).toMatch(/gate not evaluated: the live release has no recorded Init/);
  });

  it('takes a record from before samples (one figure) as a baseline of n=1', () => {
    const result = evaluateInitGrowth(figures({ sample: of(900, 910, 905), live: of(200) }));
    expect(result).toMatchObject({ outcome: 'failed', live: 200 });
    expect(result.summary).toContain('vs live 200.0 ms (n=1, recorded)');
  });

  it('lets the noise floor alone decide when the live median is zero (no ratio)', () => {
    const big = evaluateInitGrowth(figures({ sample: of(80, 80, 80), live: of(0) }));
    expect(big).toMatchObject({ outcome: 'failed', ratio: null, delta: 80 });
    expect(big.summary).toContain('from zero');
    const small = evaluateInitGrowth(figures({ sample: of(30, 30, 30), live: of(0) }));
    expect(small).toMatchObject({ outcome: 'passed', ratio: null });
  });

  it('shows a faster cold start with a negative delta', () => {
    const result = evaluateInitGrowth(figures({ sample: of(150, 150, 150), live: of(300) }));
    expect(result).toMatchObject({ outcome: 'passed', ratio: 0.5, delta: -150 });
    expect(result.summary).toContain('0.50×, −150.0 ms');
  });

  it('is off without maxInitGrowthRatio but still shows the figures', () => {
    const result = evaluateInitGrowth(
      figures({ maxInitGrowthRatio: undefined, sample: of(9000, 9000, 9000), live: of(10) }),
    );
    expect(result).toMatchObject({ outcome: 'off', blocks: false, ratio: 900, delta: 8990 });
  });

  it('reports but never blocks on a rollback', () => {
    const result = evaluateInitGrowth(
      figures({ sample: of(900, 900, 900), live: of(200, 200, 200), enforced: false }),
    );
    expect(result).toMatchObject({ outcome: 'failed', blocks: false });
    expect(result.summary).toContain('reported only: a rollback restores an earlier release');
    const unsure = evaluateInitGrowth(
      figures({ sample: of(900), live: of(200), enforced: false, inconclusiveBlocks: true }),
    );
    expect(unsure).toMatchObject({ outcome: 'inconclusive', blocks: false });
  });
});

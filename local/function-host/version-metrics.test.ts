import { describe, expect, it } from 'vitest';
import { p90, VersionMetrics } from './version-metrics.ts';

describe('p90', () => {
  it('is the nearest-rank 90th percentile, null for no values', () => {
    expect(p90([])).toBeNull();
    expect(p90([7])).toBe(7);
    expect(p90([10, 1, 9, 2, 8, 3, 7, 4, 6, 5])).toBe(9);
    expect(p90(Array.from({ length: 11 }, (_, i) => i + 1))).toBe(10);
  });
});

describe('VersionMetrics', () => {
  it('samples one function, alias and version over [from, to)', () => {
    const metrics = new VersionMetrics();
    metrics.record('api', 'live', '7', { at: 1_000, outcome: 'ok', durationMs: 10 });
    metrics.record('api', 'live', '7', { at: 1_500, outcome: 'error', durationMs: 30 });
    metrics.record('api', 'live', '7', { at: 1_800, outcome: 'throttle', durationMs: null });
    metrics.record('api', 'live', '7', { at: 2_000, outcome: 'ok', durationMs: 99 });
    metrics.record('api', 'live', '6', { at: 1_200, outcome: 'ok', durationMs: 5 });
    metrics.record('api', 'beta', '7', { at: 1_200, outcome: 'error', durationMs: 5 });
    expect(metrics.sample('api', 'live', '7', 1_000, 2_000)).toEqual({
      invocations: 2,
      errors: 1,
      throttles: 1,
      durationP90Ms: 30,
    });
    expect(metrics.sample('api', 'live', '7', 2_000, 2_001)).toMatchObject({ invocations: 1 });
    expect(metrics.sample('api', 'live', '6', 0, 5_000)).toMatchObject({ invocations: 1 });
    expect(metrics.sample('other', 'live', '7', 0, 5_000)).toEqual({
      invocations: 0,
      errors: 0,
      throttles: 0,
      durationP90Ms: null,
    });
  });

  it('keeps at most the retention and the count per version', () => {
    const metrics = new VersionMetrics({ retentionMs: 1_000, maxEventsPerVersion: 3 });
    for (let at = 0; at < 5; at++)
      metrics.record('api', 'live', '7', { at, outcome: 'ok', durationMs: 1 });
    expect(metrics.sample('api', 'live', '7', 0, 10).invocations).toBe(3);
    metrics.record('api', 'live', '7', { at: 2_000, outcome: 'ok', durationMs: 1 });
    expect(metrics.sample('api', 'live', '7', 0, 3_000).invocations).toBe(1);
  });
});

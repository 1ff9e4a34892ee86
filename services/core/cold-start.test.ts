import { describe, expect, it } from 'vitest';
import { describeSample, quantile, sampleOf } from './cold-start.ts';

describe('Function: sampleOf', () => {
  it('summarises Init Durations by median, quartiles and range, keeping the figures in order', () => {
    const s = sampleOf([157.9, 41.2, 39.8, 44.0, 38.9]);
    expect(s).toEqual({
      n: 5,
      medianMs: 41.2,
      q1Ms: 39.8,
      q3Ms: 44,
      minMs: 38.9,
      maxMs: 157.9,
      samplesMs: [157.9, 41.2, 39.8, 44.0, 38.9],
    });
  });

  it('interpolates between order statistics for an even count', () => {
    expect(sampleOf([10, 20, 30, 40])).toMatchObject({ medianMs: 25, q1Ms: 17.5, q3Ms: 32.5 });
  });

  it('is null for no figures, and one figure is its own median without spread', () => {
    expect(sampleOf([])).toBeNull();
    expect(sampleOf([40.6])).toMatchObject({ n: 1, medianMs: 40.6, q1Ms: 40.6, q3Ms: 40.6 });
  });
});

describe('Function: quantile', () => {
  it('reads the ends and the middle of sorted values', () => {
    expect(quantile([1, 2, 3], 0)).toBe(1);
    expect(quantile([1, 2, 3], 1)).toBe(3);
    expect(quantile([1, 2, 3], 0.5)).toBe(2);
    expect(() => quantile([], 0.5)).toThrow(RangeError);
  });
});

describe('Function: describeSample', () => {
  it('states the median, the interquartile range and n, and a note', () => {
    const s = sampleOf([41.2, 38.9, 44.0, 40.0, 42.0]);
    expect(s && describeSample(s)).toBe('41.2 ms (IQR 40.0–42.0, n=5)');
    expect(s && describeSample(s, 'paired')).toBe('41.2 ms (IQR 40.0–42.0, n=5, paired)');
  });

  it('gives a single figure without a range', () => {
    const s = sampleOf([40.6]);
    expect(s && describeSample(s, 'recorded')).toBe('40.6 ms (n=1, recorded)');
  });
});

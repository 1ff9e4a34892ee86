import { describe, expect, it } from 'vitest';
import { settledSamples } from './settled-samples.ts';

describe('Function: settledSamples', () => {
  it('keeps the samples that ran, in order, and drops the ones that failed to run', async () => {
    const throttled = Promise.reject(new Error('TooManyRequests'));
    await expect(
      settledSamples([Promise.resolve(1), throttled, Promise.resolve(3)]),
    ).resolves.toEqual([1, 3]);
  });

  it('fails with the first reason when none ran', async () => {
    const first = new Error('first');
    await expect(
      settledSamples([Promise.reject(first), Promise.reject(new Error('second'))]),
    ).rejects.toBe(first);
  });

  it('answers an empty batch with no samples', async () => {
    await expect(settledSamples([])).resolves.toEqual([]);
  });
});

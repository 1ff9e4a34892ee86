/**
 * Cold starts as a sample: several Init Durations of one version, summarised by robust
 * statistics — the median, the quartiles, the range — so that one start that landed on a busy
 * moment moves the figure the gate compares by little, and the spread shows how sure it is.
 */
import { z } from 'zod';

/**
 * Fewer cold starts than this on the new version's side never decide the cold-start gate: with
 * one or two figures a single noisy start is the whole sample.
 */
export const MIN_COLD_SAMPLES = 3;

/** A version's cold starts: the figures and their statistics (milliseconds). */
export const coldStartSampleSchema = z
  .object({
    n: z.number().int().min(1).describe('How many cold starts were measured'),
    medianMs: z.number(),
    q1Ms: z.number().describe('Lower quartile (linear interpolation between order statistics)'),
    q3Ms: z.number().describe('Upper quartile'),
    minMs: z.number(),
    maxMs: z.number(),
    samplesMs: z.array(z.number()).describe('Each Init Duration, in the order measured'),
  })
  .meta({ id: 'ColdStartSample' });

/** A version's cold starts and their statistics. */
export type ColdStartSample = z.output<typeof coldStartSampleSchema>;

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The value at quantile `p` (0–1) of ascending `sorted` (linear interpolation, R's type 7). */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of no values');
  const at = (sorted.length - 1) * p;
  const low = Math.floor(at);
  const lower = sorted[low] as number;
  const upper = sorted[Math.min(low + 1, sorted.length - 1)] as number;
  return lower + (upper - lower) * (at - low);
}

/** The sample of these Init Durations; null when there are none. */
export function sampleOf(samplesMs: readonly number[]): ColdStartSample | null {
  if (samplesMs.length === 0) return null;
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    n: sorted.length,
    medianMs: round2(quantile(sorted, 0.5)),
    q1Ms: round2(quantile(sorted, 0.25)),
    q3Ms: round2(quantile(sorted, 0.75)),
    minMs: sorted[0] as number,
    maxMs: sorted[sorted.length - 1] as number,
    samplesMs: [...samplesMs],
  };
}

/** Milliseconds with one decimal. */
export function msOf(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}

/**
 * `41.2 ms (IQR 38.9–44.0, n=5)`, and with `note` `… n=5, paired)`; a single figure has no
 * spread: `40.6 ms (n=1, recorded)`.
 */
export function describeSample(s: ColdStartSample, note?: string): string {
  const spread = s.n > 1 ? `IQR ${s.q1Ms.toFixed(1)}–${s.q3Ms.toFixed(1)}, ` : '';
  return `${msOf(s.medianMs)} (${spread}n=${s.n}${note ? `, ${note}` : ''})`;
}

/**
 * The cold-start gate on samples: the new version's median Init Duration against the live
 * release's, the ratio and the noise floor applied to the medians, and the spreads deciding how
 * sure that is. Pure: samples and settings in, a gate result out.
 */
import { type ColdStartSample, describeSample, MIN_COLD_SAMPLES, msOf } from './cold-start.ts';
import { type GateResult, NOT_ENFORCED } from './gates.ts';

/** What the cold-start gate compares, and the function's settings. */
export interface InitGrowthFigures {
  /** The new version's cold starts; null when none was observed. */
  readonly sample: ColdStartSample | null;
  /** How many cold starts were asked for. */
  readonly requested: number;
  /** The live release's cold starts; null when there is no live release or none is known. */
  readonly live: ColdStartSample | null;
  /** `paired`: the live version measured in this run, side by side; `recorded`: when it went live. */
  readonly baseline: 'paired' | 'recorded';
  /** Absent turns the gate off. */
  readonly maxInitGrowthRatio?: number | undefined;
  readonly minInitDeltaMs: number;
  /** Whether an inconclusive result stops the release. @default false */
  readonly inconclusiveBlocks?: boolean;
  /** False on a rollback: the result is reported and never blocks. @default true */
  readonly enforced?: boolean;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** Over the ratio (from zero: any positive figure is) and by more than the noise floor. */
function grew(value: number, live: number, maxRatio: number, minDelta: number): boolean {
  const overRatio = live > 0 ? value / live > maxRatio : value > 0;
  return overRatio && value - live > minDelta;
}

/**
 * The cold-start gate. `failed` needs the medians over the limit (beyond `maxInitGrowthRatio`
 * AND by more than `minInitDeltaMs`) and, so that spread cannot fake it, the central halves of
 * the two samples apart by the limit too: the new lower quartile over the limit of the live
 * median, and the new median over the limit of the live upper quartile. Medians over the limit
 * with spreads that reach back under it are `inconclusive`, as are fewer than
 * {@link MIN_COLD_SAMPLES} cold starts of the new version. No live figure: not evaluated. A live
 * median of 0 has no ratio: the noise floor alone decides.
 */
export function evaluateInitGrowth(f: InitGrowthFigures): GateResult {
  const maxRatio = f.maxInitGrowthRatio ?? null;
  const enforced = f.enforced ?? true;
  const { sample, live } = f;
  const base = {
    gate: 'init-growth' as const,
    unit: 'ms' as const,
    value: sample?.medianMs ?? null,
    live: live?.medianMs ?? null,
    maxRatio,
    minDelta: f.minInitDeltaMs,
    sample,
    liveSample: live,
    baseline: f.baseline,
  };
  const fewer = sample && sample.n < f.requested ? `of ${f.requested} invokes` : undefined;
  const newSide = sample
    ? `median Init Duration ${describeSample(sample, fewer)}`
    : 'Init Duration not reported';
  if (live === null) {
    const why = sample
      ? 'the live release has no recorded Init Duration'
      : 'the new version reported no Init Duration and the live release has none recorded';
    return {
      ...base,
      outcome: maxRatio === null ? 'off' : 'not-evaluated',
      blocks: false,
      ratio: null,
      delta: null,
      summary: `${newSide}; ${maxRatio === null ? 'gate off' : 'gate not evaluated'}: ${why}`,
    };
  }
  const liveSide = `live ${describeSample(live, f.baseline)}`;
  const ratio = sample && live.medianMs > 0 ? round3(sample.medianMs / live.medianMs) : null;
  const delta = sample ? round3(sample.medianMs - live.medianMs) : null;
  const figures = `${newSide} vs ${liveSide}${sample ? `: ${growthOf(ratio, delta ?? 0)}` : ''}`;
  if (maxRatio === null) {
    return {
      ...base,
      outcome: 'off',
      blocks: false,
      ratio,
      delta,
      summary: `${figures}; gate off`,
    };
  }
  const limit = `limit ${maxRatio}× beyond a ${f.minInitDeltaMs} ms noise floor`;
  const verdict = (outcome: 'passed' | 'failed' | 'inconclusive', why: string): GateResult => {
    const blocks =
      enforced &&
      (outcome === 'failed' || (outcome === 'inconclusive' && (f.inconclusiveBlocks ?? false)));
    return { ...base, outcome, blocks, ratio, delta, summary: `${figures}, ${limit}${why}` };
  };
  const notEnforced = enforced ? '' : `; ${NOT_ENFORCED}`;
  if (!sample || sample.n < MIN_COLD_SAMPLES) {
    const n = sample?.n ?? 0;
    return verdict(
      'inconclusive',
      `: inconclusive: ${n} of ${f.requested} invokes were cold starts, fewer than the ${MIN_COLD_SAMPLES} a verdict needs (a version already warm cannot be measured)${inconclusiveEffect(f)}${notEnforced}`,
    );
  }
  const d = f.minInitDeltaMs;
  if (!grew(sample.medianMs, live.medianMs, maxRatio, d)) return verdict('passed', '');
  const quartiles = `the new lower quartile ${msOf(sample.q1Ms)} vs the live median ${msOf(live.medianMs)}, the new median ${msOf(sample.medianMs)} vs the live upper quartile ${msOf(live.q3Ms)}`;
  const apart =
    grew(sample.q1Ms, live.medianMs, maxRatio, d) && grew(sample.medianMs, live.q3Ms, maxRatio, d);
  if (apart) {
    const advice = enforced
      ? '; slim the image or its init code, or raise coldStart.maxInitGrowthRatio'
      : notEnforced;
    // The IQRs in the summary show the quartiles compared.
    return verdict('failed', `: cold start grew, beyond the spreads too${advice}`);
  }
  return verdict(
    'inconclusive',
    `: inconclusive: the medians are over the limit but the spreads reach back under it (${quartiles})${inconclusiveEffect(f)}${notEnforced}`,
  );
}

/** `1.01×, +0.6 ms`; `from zero, +12.0 ms` when the live median is 0. */
function growthOf(ratio: number | null, delta: number): string {
  const sign = delta >= 0 || msOf(-delta) === msOf(0) ? '+' : '−';
  return `${ratio === null ? 'from zero' : `${ratio.toFixed(2)}×`}, ${sign}${msOf(Math.abs(delta))}`;
}

/** Whether an inconclusive result blocks, as the summary says it. */
function inconclusiveEffect(f: InitGrowthFigures): string {
  if (!(f.enforced ?? true)) return '';
  return f.inconclusiveBlocks
    ? '; blocks the release (coldStart.inconclusiveBlocks is on)'
    : '; does not block the release (coldStart.inconclusiveBlocks is off)';
}

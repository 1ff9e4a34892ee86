/**
 * The release judge: the new version's health over one window, next to the old version's over
 * the same window, against thresholds — pass, fail, or too few invocations to say. Pure:
 * figures in (from the VersionHealth port), a verdict with its figures and one line out.
 */
import type { VersionSample } from './ports.ts';

/** What the new version must keep to in a window. Every limit is inclusive: equal passes. */
export interface JudgeThresholds {
  /** Highest error rate (errors ÷ invocations) that passes: 0.05 is 5%. */
  readonly maxErrorRate: number;
  /** Most throttles that pass; judged at any invocation count, since a throttled call ran nothing. */
  readonly maxThrottles: number;
  /** Fewest invocations of the new version for a verdict on its errors and duration. */
  readonly minInvocations: number;
  /** Highest Duration p90 in ms that passes; null: duration is not judged. */
  readonly maxDurationP90Ms: number | null;
  /**
   * How far the new version's error rate may exceed the old version's (0.01: one percentage
   * point) — judged only when the old version had `minInvocations` in the window too; null:
   * not judged. It catches a version that stays under `maxErrorRate` yet fails where the old
   * one did not.
   */
  readonly maxErrorRateIncrease: number | null;
}

/** One version's sample in the window. */
export interface VersionWindow {
  readonly version: string;
  readonly sample: VersionSample;
}

/** What the judge is given. */
export interface JudgeInput {
  readonly candidate: VersionWindow;
  /** The old version over the same window; null when no old version took traffic. */
  readonly baseline: VersionWindow | null;
  readonly windowSeconds: number;
  readonly thresholds: JudgeThresholds;
}

/** A rule the new version can break. */
export type JudgeRule = 'throttles' | 'error-rate' | 'duration-p90' | 'error-rate-vs-old';

/** The verdict. */
export type JudgeOutcome = 'pass' | 'fail' | 'too-few-invocations';

/** A version's figures as judged. */
export interface JudgedVersion extends VersionWindow {
  /** errors ÷ invocations; null with no invocations. */
  readonly errorRate: number | null;
}

/** The verdict with its figures and a one-line reason. */
export interface Judgement {
  readonly outcome: JudgeOutcome;
  /** The rules broken, in the order they are checked; empty unless `fail`. */
  readonly failed: readonly JudgeRule[];
  readonly candidate: JudgedVersion;
  readonly baseline: JudgedVersion | null;
  readonly windowSeconds: number;
  /** e.g. `version 7: 12 errors in 24 invocations (50%) vs version 6: 0 in 31, 60 s window — …` */
  readonly reason: string;
}

// Rates of small counts against decimal limits (7 / 100 vs 0.06 + 0.01) differ from the limit by
// float rounding only; that must read as equal, and equal passes.
const above = (value: number, limit: number) => value - limit > 1e-9 * Math.max(1, Math.abs(limit));

const rateOf = ({ errors, invocations }: VersionSample) =>
  invocations > 0 ? errors / invocations : null;

/** `1 error`, `12 errors`. */
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** 50%, 4.2%, 0.02%: enough digits that a small non-zero rate never reads as 0%. */
function percent(rate: number): string {
  const value = rate * 100;
  return `${Number(value.toFixed(value > 0 && value < 1 ? 2 : 1))}%`;
}

function judged(window: VersionWindow): JudgedVersion {
  return { ...window, errorRate: rateOf(window.sample) };
}

/** The figures part of the reason. */
function figures(input: JudgeInput, candidate: JudgedVersion, baseline: JudgedVersion | null) {
  const { sample } = candidate;
  let text = `version ${candidate.version}: ${count(sample.errors, 'error')} in ${count(sample.invocations, 'invocation')}`;
  if (candidate.errorRate !== null) text += ` (${percent(candidate.errorRate)})`;
  if (sample.throttles > 0) text += `, ${sample.throttles} throttled`;
  if (input.thresholds.maxDurationP90Ms !== null && sample.durationP90Ms !== null) {
    text += `, p90 ${Number(sample.durationP90Ms.toFixed(1))} ms`;
  }
  text += baseline
    ? ` vs version ${baseline.version}: ${baseline.sample.errors} in ${baseline.sample.invocations}`
    : ' vs no old version';
  return `${text}, ${input.windowSeconds} s window`;
}

/** Judges the new version's window (see module doc); every branch names its figures. */
export function judge(input: JudgeInput): Judgement {
  const { thresholds: t } = input;
  const candidate = judged(input.candidate);
  const baseline = input.baseline && judged(input.baseline);
  const { sample } = candidate;
  const failed: JudgeRule[] = [];
  const why: string[] = [];
  if (sample.throttles > t.maxThrottles) {
    failed.push('throttles');
    why.push(`${count(sample.throttles, 'throttle')}, limit ${t.maxThrottles}`);
  }
  let outcome: JudgeOutcome;
  if (sample.invocations < t.minInvocations) {
    // Errors that even a full minimum of invocations could not bring under the limit fail now.
    if (above(sample.errors, t.maxErrorRate * t.minInvocations)) {
      failed.push('error-rate');
      why.push(
        `${count(sample.errors, 'error')} already exceed ${percent(t.maxErrorRate)} of the ${t.minInvocations} invocations a verdict needs`,
      );
    }
    outcome = failed.length > 0 ? 'fail' : 'too-few-invocations';
    if (outcome === 'too-few-invocations') {
      why.push(`too few invocations for a verdict: ${sample.invocations} of ${t.minInvocations}`);
    }
  } else {
    const rate = candidate.errorRate;
    if (rate !== null && above(rate, t.maxErrorRate)) {
      failed.push('error-rate');
      why.push(`error rate over the ${percent(t.maxErrorRate)} limit`);
    }
    const p90 = sample.durationP90Ms;
    if (t.maxDurationP90Ms !== null && p90 !== null && above(p90, t.maxDurationP90Ms)) {
      failed.push('duration-p90');
      why.push(`p90 Duration over the ${t.maxDurationP90Ms} ms limit`);
    }
    const old = baseline?.errorRate ?? null;
    const comparable = baseline !== null && baseline.sample.invocations >= t.minInvocations;
    if (t.maxErrorRateIncrease !== null && comparable && rate !== null && old !== null) {
      if (above(rate - old, t.maxErrorRateIncrease)) {
        failed.push('error-rate-vs-old');
        why.push(
          `error rate ${percent(rate - old)} above the old version's, limit +${percent(t.maxErrorRateIncrease)}`,
        );
      }
    }
    outcome = failed.length > 0 ? 'fail' : 'pass';
    if (outcome === 'pass') why.push('within limits');
  }
  const reason = `${figures(input, candidate, baseline)} — ${why.join('; ')}`;
  return { outcome, failed, candidate, baseline, windowSeconds: input.windowSeconds, reason };
}

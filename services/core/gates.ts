/**
 * Release gates on figures: the new release next to the live one. Pure: figures in, a structured
 * result out (stored on the deployment, rendered in notifications). A failed gate is a normal
 * outcome the workflow routes to REJECTED, never an exception.
 */

import { z } from 'zod';

/** The gates Ferry evaluates on figures. */
export const gateNameSchema = z.enum(['size-growth', 'init-growth']);

/** A gate's name. */
export type GateName = z.output<typeof gateNameSchema>;

/**
 * `passed` / `failed`; `not-evaluated` when a figure on either side is missing (said in
 * `summary`); `off` when the function's settings turn the gate off (figures still shown).
 */
export const gateOutcomeSchema = z.enum(['passed', 'failed', 'not-evaluated', 'off']);

/** A gate's outcome. */
export type GateOutcome = z.output<typeof gateOutcomeSchema>;

/** One gate's figures side by side: new vs live, ratio, delta, limit. */
export const gateResultSchema = z
  .object({
    gate: gateNameSchema,
    outcome: gateOutcomeSchema,
    unit: z.enum(['bytes', 'ms']),
    value: z
      .number()
      .nullable()
      .describe("The new release's figure; null when it was not measured"),
    live: z
      .number()
      .nullable()
      .describe("The live release's figure; null when there is none or it is unknown"),
    ratio: z
      .number()
      .nullable()
      .describe('value / live (3 decimals); null when either is missing or live is 0'),
    delta: z.number().nullable().describe('value − live; null when either is missing'),
    maxRatio: z
      .number()
      .nullable()
      .describe('The largest allowed ratio; null when the gate is off'),
    minDelta: z
      .number()
      .nullable()
      .describe(
        'Growth up to this much (same unit) never fails the gate; null when the gate has no noise floor',
      ),
    summary: z
      .string()
      .describe('One sentence with the figures side by side, and why when not evaluated'),
  })
  .meta({ id: 'Gate' });

/** One gate's figures side by side. */
export type GateResult = z.output<typeof gateResultSchema>;

/** Compressed size of the new image vs the live one, and the function's max growth ratio. */
export interface SizeGrowthFigures {
  readonly compressedBytes: number;
  readonly liveCompressedBytes: number | null;
  /** null turns the gate off. */
  readonly maxGrowthRatio: number | null;
}

/** Init Duration of the new version's cold start vs the live release's, and the settings. */
export interface InitGrowthFigures {
  /** null when the runtime reported none (not a cold start). */
  readonly initDurationMs: number | null;
  /** null when there is no live release or its deployment recorded none. */
  readonly liveInitDurationMs: number | null;
  /** Absent turns the gate off. */
  readonly maxInitGrowthRatio?: number | undefined;
  readonly minInitDeltaMs: number;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** Bytes as MiB with one decimal. */
function mibOf(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

/** Milliseconds with one decimal. */
function msOf(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}

function sideBySide(
  format: (n: number) => string,
  value: number,
  live: number,
  ratio: number | null,
): string {
  // A shrink too small to show (−0.0 MiB) reads as no change.
  const sign = value - live >= 0 || format(live - value) === format(0) ? '+' : '−';
  const growth = ratio === null ? 'from zero' : `${ratio.toFixed(2)}×`;
  return `${format(value)} vs ${format(live)} live (${growth}, ${sign}${format(Math.abs(value - live))})`;
}

/**
 * The size-growth gate: fails when the compressed size grew beyond `maxGrowthRatio` times the
 * live release's. No live size (first release, or its manifest is gone) → not evaluated.
 */
export function evaluateSizeGrowth(f: SizeGrowthFigures): GateResult {
  const base = {
    gate: 'size-growth' as const,
    unit: 'bytes' as const,
    value: f.compressedBytes,
    live: f.liveCompressedBytes,
    maxRatio: f.maxGrowthRatio,
    minDelta: null,
  };
  if (f.liveCompressedBytes === null || f.liveCompressedBytes <= 0) {
    return {
      ...base,
      live: null,
      outcome: f.maxGrowthRatio === null ? 'off' : 'not-evaluated',
      ratio: null,
      delta: null,
      summary: `compressed size ${mibOf(f.compressedBytes)}; growth not evaluated: no live release size to compare with`,
    };
  }
  const ratio = f.compressedBytes / f.liveCompressedBytes;
  const delta = f.compressedBytes - f.liveCompressedBytes;
  const figures = `compressed size ${sideBySide(mibOf, f.compressedBytes, f.liveCompressedBytes, ratio)}`;
  if (f.maxGrowthRatio === null) {
    return {
      ...base,
      outcome: 'off',
      ratio: round3(ratio),
      delta,
      summary: `${figures}; gate off`,
    };
  }
  const failed = ratio > f.maxGrowthRatio;
  return {
    ...base,
    outcome: failed ? 'failed' : 'passed',
    ratio: round3(ratio),
    delta,
    summary: `${figures}, limit ${f.maxGrowthRatio}×${failed ? ': slim the image (see the largest layers and hints) or raise the function’s maxGrowthRatio' : ''}`,
  };
}

/**
 * The cold-start gate: fails when the new Init Duration is beyond `maxInitGrowthRatio` times the
 * live one AND grew by more than the `minInitDeltaMs` noise floor. A missing Init Duration on
 * either side means the gate is not evaluated (said so), never a guessed figure. A live Init
 * Duration of 0 has no ratio: the noise floor alone decides.
 */
export function evaluateInitGrowth(f: InitGrowthFigures): GateResult {
  const maxRatio = f.maxInitGrowthRatio ?? null;
  const base = {
    gate: 'init-growth' as const,
    unit: 'ms' as const,
    value: f.initDurationMs,
    live: f.liveInitDurationMs,
    maxRatio,
    minDelta: f.minInitDeltaMs,
  };
  const off = maxRatio === null;
  if (f.initDurationMs === null || f.liveInitDurationMs === null) {
    const missing =
      f.initDurationMs === null
        ? 'the new version reported no Init Duration (not reported: no cold start was observed)'
        : 'the live release has no recorded Init Duration';
    const value = f.initDurationMs === null ? 'not reported' : msOf(f.initDurationMs);
    return {
      ...base,
      outcome: off ? 'off' : 'not-evaluated',
      ratio: null,
      delta: null,
      summary: `Init Duration ${value}; ${off ? 'gate off' : 'gate not evaluated'}: ${missing}`,
    };
  }
  const { initDurationMs: value, liveInitDurationMs: live } = f;
  const ratio = live > 0 ? value / live : null;
  const delta = round3(value - live);
  const figures = `Init Duration ${sideBySide(msOf, value, live, ratio)}`;
  if (maxRatio === null) {
    return {
      ...base,
      outcome: 'off',
      ratio: ratio === null ? null : round3(ratio),
      delta,
      summary: `${figures}; gate off`,
    };
  }
  const overRatio = ratio === null ? value > 0 : ratio > maxRatio;
  const failed = overRatio && delta > f.minInitDeltaMs;
  return {
    ...base,
    outcome: failed ? 'failed' : 'passed',
    ratio: ratio === null ? null : round3(ratio),
    delta,
    summary:
      `${figures}, limit ${maxRatio}× beyond a ${f.minInitDeltaMs} ms noise floor` +
      (failed
        ? ': cold start grew; slim the image or its init code, or raise coldStart.maxInitGrowthRatio'
        : ''),
  };
}

/** The failed gates' summaries: the reasons a deployment is rejected. */
export function failedGateReasons(gates: readonly GateResult[]): string[] {
  return gates
    .filter((g) => g.outcome === 'failed')
    .map((g) => `${g.gate} gate failed: ${g.summary}`);
}

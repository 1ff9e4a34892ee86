/**
 * Release gates on figures: the new release next to the live one. Pure: figures in, a structured
 * result out (stored on the deployment, rendered in notifications). A blocking gate is a normal
 * outcome the workflow routes to REJECTED, never an exception. The cold-start gate's statistics
 * are in init-growth.ts.
 */

import { z } from 'zod';
import { coldStartSampleSchema } from './cold-start.ts';

/** The gates Ferry evaluates on figures. */
export const gateNameSchema = z.enum(['size-growth', 'init-growth']);

/** A gate's name. */
export type GateName = z.output<typeof gateNameSchema>;

/**
 * `passed` / `failed`; `inconclusive` when the measurement cannot decide (too few cold starts,
 * or spreads that reach across the limit: said in `summary`); `not-evaluated` when a figure on
 * either side is missing; `off` when the function's settings turn the gate off (figures still
 * shown).
 */
export const gateOutcomeSchema = z.enum([
  'passed',
  'failed',
  'inconclusive',
  'not-evaluated',
  'off',
]);

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
    blocks: z
      .boolean()
      .optional()
      .describe(
        'Whether this result stops the release: a failed gate does, an inconclusive one when the settings say so, neither on a rollback; absent on older records (failed blocks)',
      ),
    sample: coldStartSampleSchema
      .nullable()
      .optional()
      .describe("init-growth: the new version's cold starts (`value` is their median)"),
    liveSample: coldStartSampleSchema
      .nullable()
      .optional()
      .describe("init-growth: the live release's cold starts (`live` is their median)"),
    baseline: z
      .enum(['paired', 'recorded'])
      .optional()
      .describe(
        'init-growth: `paired` when the live version was measured in the same run, side by side; `recorded` when its figures are the ones recorded when it went live',
      ),
    reusedFrom: z
      .string()
      .optional()
      .describe(
        'The deployment whose measurement this is: a digest judged once keeps its verdict (set when reused)',
      ),
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
  /** False on a rollback: the figures are reported, a failure does not block. @default true */
  readonly enforced?: boolean;
}

/** Said of a growth gate that failed on a rollback. */
export const NOT_ENFORCED =
  'reported only: a rollback restores an earlier release and is not held to growth gates';

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** Bytes as MiB with one decimal. */
function mibOf(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
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
  const enforced = f.enforced ?? true;
  const advice = !failed
    ? ''
    : enforced
      ? ': slim the image (see the largest layers and hints) or raise the function’s maxGrowthRatio'
      : `; ${NOT_ENFORCED}`;
  return {
    ...base,
    outcome: failed ? 'failed' : 'passed',
    blocks: failed && enforced,
    ratio: round3(ratio),
    delta,
    summary: `${figures}, limit ${f.maxGrowthRatio}×${advice}`,
  };
}

/** Whether a gate result stops the release (records without `blocks`: when it failed). */
export function blocksRelease(g: GateResult): boolean {
  return g.blocks ?? g.outcome === 'failed';
}

/** The blocking gates' summaries: the reasons a deployment is rejected. */
export function blockingGateReasons(gates: readonly GateResult[]): string[] {
  return gates.filter(blocksRelease).map((g) => `${g.gate} gate ${g.outcome}: ${g.summary}`);
}

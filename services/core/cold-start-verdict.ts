/**
 * A digest's cold-start verdict: what the gate decided the first time the digest was measured,
 * kept per function and digest so that deploying the digest again — onto a version that is warm
 * by then, where no cold start can be observed — reuses it instead of passing unjudged. A verdict
 * holds while the function's cold-start settings it was judged under stay the same; changing them
 * (raising the ratio, turning the gate off, asking for more samples) is how a team asks for a new
 * judgement.
 */
import { z } from 'zod';
import { type GateResult, gateResultSchema, NOT_ENFORCED } from './gates.ts';

/** The settings a verdict was judged under; a verdict is reused only under the same ones. */
export const verdictSettingsSchema = z.object({
  maxInitGrowthRatio: z.number(),
  minInitDeltaMs: z.number(),
  samples: z.number().int(),
});

/** The settings a verdict was judged under. */
export type VerdictSettings = z.output<typeof verdictSettingsSchema>;

/** A function's cold-start verdict for one digest, as stored. */
export const coldStartVerdictSchema = z.object({
  functionName: z.string().min(1),
  digest: z.string().min(1),
  outcome: z.enum(['passed', 'failed', 'inconclusive']),
  /** The deployment whose smoke measured it. */
  deploymentId: z.string().min(1),
  version: z.string().min(1),
  /** ISO 8601. */
  judgedAt: z.string(),
  settings: verdictSettingsSchema,
  /** The gate result as judged, figures and all. */
  gate: gateResultSchema,
});

/** A function's cold-start verdict for one digest. */
export type ColdStartVerdict = z.output<typeof coldStartVerdictSchema>;

/** Whether two sets of settings judge alike. */
function sameSettings(a: VerdictSettings, b: VerdictSettings): boolean {
  return (
    a.maxInitGrowthRatio === b.maxInitGrowthRatio &&
    a.minInitDeltaMs === b.minInitDeltaMs &&
    a.samples === b.samples
  );
}

/**
 * The verdict to reuse, or null: a `passed` or `failed` one judged under `settings`. An
 * inconclusive one is measured again — it says the measurement could not decide, not how the
 * digest starts.
 */
export function reusableVerdict(
  verdict: ColdStartVerdict | null,
  settings: VerdictSettings,
): ColdStartVerdict | null {
  if (!verdict || verdict.outcome === 'inconclusive') return null;
  return sameSettings(verdict.settings, settings) ? verdict : null;
}

/** The recorded gate as this deployment reports it: reused, blocking unless on a rollback. */
export function reusedGate(verdict: ColdStartVerdict, enforced: boolean): GateResult {
  const failed = verdict.outcome === 'failed';
  const note = failed && !enforced ? `; ${NOT_ENFORCED}` : '';
  return {
    ...verdict.gate,
    blocks: failed && enforced,
    reusedFrom: verdict.deploymentId,
    summary: `${verdict.gate.summary} (the verdict ${verdict.deploymentId} recorded for this digest at ${verdict.judgedAt}, reused: a digest judged under the same cold-start settings is not judged again)${note}`,
  };
}

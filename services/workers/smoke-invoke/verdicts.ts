/**
 * Which verdict a smoke records for its digest, and writes that cannot be repeated: the cold
 * starts they record can be observed only once, so a transient failure is retried here rather
 * than by a step retry that would find the version warm.
 */
import type { ColdStartVerdict, VerdictSettings } from '../../core/cold-start-verdict.ts';
import { isFerryError } from '../../core/errors.ts';
import type { GateResult } from '../../core/gates.ts';
import type { PrepareResult } from '../../core/workflow.ts';

/** How many times such a write is tried. */
const WRITE_ATTEMPTS = 3;

/** The settings a verdict is judged under; null when the gate is off (nothing is judged). */
export function verdictSettingsOf(smoke: PrepareResult['smoke']): VerdictSettings | null {
  if (typeof smoke.maxInitGrowthRatio !== 'number') return null;
  return {
    maxInitGrowthRatio: smoke.maxInitGrowthRatio,
    minInitDeltaMs: smoke.minInitDeltaMs,
    samples: smoke.samples,
  };
}

/** What the verdict is about and when it was judged. */
export interface VerdictContext {
  readonly functionName: string;
  readonly digest: string;
  readonly deploymentId: string;
  readonly version: string;
  readonly judgedAt: string;
  readonly settings: VerdictSettings;
}

/**
 * The verdict to record for a judged gate; null when the gate decided nothing about the digest
 * (off, or not evaluated for want of a baseline).
 */
export function verdictOf(gate: GateResult, context: VerdictContext): ColdStartVerdict | null {
  const { outcome } = gate;
  if (outcome !== 'passed' && outcome !== 'failed' && outcome !== 'inconclusive') return null;
  return { ...context, outcome, gate };
}

/** Runs `write`, again after a TransientError, up to {@link WRITE_ATTEMPTS} times in all. */
export async function writeOnce(
  write: () => Promise<void>,
  onRetry: (attempt: number) => void,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await write();
      return;
    } catch (error) {
      if (attempt >= WRITE_ATTEMPTS || !isFerryError(error, 'TransientError')) throw error;
      onRetry(attempt);
    }
  }
}

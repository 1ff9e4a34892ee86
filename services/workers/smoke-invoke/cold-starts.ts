/**
 * Measuring the new version's cold starts, and the live release's to compare with: side by side
 * in the same run where the Functions port can start environments on demand (pairs cancel
 * whatever load the machine is under), else against the figures recorded when it went live.
 */
import { type ColdStartSample, MIN_COLD_SAMPLES, sampleOf } from '../../core/cold-start.ts';
import type { InvokeResult } from '../../core/ports.ts';
import type { PrepareResult } from '../../core/workflow.ts';
import type { WorkerDeps } from '../deps.ts';
import { coldFigures } from './judge.ts';

/** The new version's invokes and the baseline they are judged against. */
export interface Measured {
  /** Every invoke of the new version (the smoke judges each). */
  readonly results: readonly InvokeResult[];
  /** The new version's cold starts among them. */
  readonly sample: ColdStartSample | null;
  readonly live: ColdStartSample | null;
  readonly baseline: 'paired' | 'recorded';
}

/** What to measure: the function, the new version, and Prepare's smoke plan. */
export interface MeasureInput {
  readonly functionName: string;
  readonly version: string;
  readonly smoke: PrepareResult['smoke'];
}

/**
 * The live release's recorded cold starts: the plan's sample, or for a state an older Prepare
 * wrote its single figure.
 */
function recorded(smoke: PrepareResult['smoke']): ColdStartSample | null {
  if (smoke.liveColdStarts) return smoke.liveColdStarts;
  return smoke.liveInitDurationMs === null ? null : sampleOf([smoke.liveInitDurationMs]);
}

/**
 * `smoke.samples` invokes of the new version at once (cold starts on a version nothing runs
 * yet). With the gate on, a live version to compare with and a port that can start it cold on
 * demand, both are measured in pairs instead; a paired run with too few live cold starts falls
 * back to the recorded figures.
 */
export async function measureColdStarts(
  input: MeasureInput,
  deps: Pick<WorkerDeps, 'functions'>,
): Promise<Measured> {
  const { functionName, version, smoke } = input;
  const payload = JSON.stringify(smoke.payload === undefined ? {} : smoke.payload);
  const { functions } = deps;
  const gateOn = typeof smoke.maxInitGrowthRatio === 'number';
  if (gateOn && smoke.liveVersion && functions.pairedColdStarts) {
    const pairs = await functions.pairedColdStarts(
      functionName,
      version,
      smoke.liveVersion,
      payload,
      smoke.samples,
    );
    const live = sampleOf(coldFigures(pairs.baseline, true));
    const sample = sampleOf(coldFigures(pairs.version));
    if (live && live.n >= MIN_COLD_SAMPLES) {
      return { results: pairs.version, sample, live, baseline: 'paired' };
    }
    return { results: pairs.version, sample, live: recorded(smoke), baseline: 'recorded' };
  }
  const results = await functions.invokeConcurrently(functionName, version, payload, smoke.samples);
  return {
    results,
    sample: sampleOf(coldFigures(results)),
    live: recorded(smoke),
    baseline: 'recorded',
  };
}

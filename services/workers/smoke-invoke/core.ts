import { z } from 'zod';
import { reusableVerdict, reusedGate } from '../../core/cold-start-verdict.ts';
import type { SmokeReport } from '../../core/deployment.ts';
import { evaluateInitGrowth } from '../../core/init-growth.ts';
import { prepareResultSchema } from '../../core/workflow.ts';
import type { WorkerDeps } from '../deps.ts';
import { withStep } from '../step-recorder.ts';
import { measureColdStarts } from './cold-starts.ts';
import { judge } from './judge.ts';
import { verdictOf, verdictSettingsOf, writeOnce } from './verdicts.ts';

/** SmokeInvoke's input: the new version, its digest and Prepare's smoke plan. */
export const smokeInvokeInputSchema = z.object({
  deploymentId: z.string().min(1),
  functionName: z.string().min(1),
  /** The version UpdateFunction published (never the alias: traffic has not moved). */
  version: z.string().min(1),
  /** The digest that version runs: verdicts are kept per digest. */
  digest: z.string().min(1),
  smoke: prepareResultSchema.shape.smoke,
});

/** SmokeInvoke's input. */
export type SmokeInvokeInput = z.output<typeof smokeInvokeInputSchema>;

/** The ports SmokeInvoke uses. */
export type SmokeInvokeDeps = Pick<
  WorkerDeps,
  'functions' | 'store' | 'clock' | 'logger' | 'metrics'
>;

/**
 * Invokes the new version `smoke.samples` times at once with the settings' payload — each a cold
 * start — and judges every response and the cold-start gate on the samples' median. A failed
 * smoke (`fail`) or a blocking gate (`reject`) is a report with `passed: false` that the
 * workflow's Choice routes, not an error.
 *
 * A digest judged before under the same cold-start settings keeps its verdict: the version is
 * invoked once for the smoke's checks and the recorded gate is reused, so deploying it again onto
 * a warm version cannot dodge a rejection. A retried attempt that finds this version's report on
 * the record returns it instead of invoking again.
 */
export async function smokeInvoke(
  input: SmokeInvokeInput,
  deps: SmokeInvokeDeps,
): Promise<SmokeReport> {
  return withStep(
    deps,
    input.deploymentId,
    'SmokeInvoke',
    async () => {
      const { deploymentId, functionName, version } = input;
      const recorded = (await deps.store.get(deploymentId))?.smoke;
      if (recorded?.version === version) {
        deps.logger.info('smoke report reused', { deploymentId, functionName, version });
        return recorded;
      }
      const report = await judgeVersion(input, deps);
      deps.logger.info('smoke invoke judged', {
        deploymentId,
        functionName,
        version,
        passed: report.passed,
        verdict: report.verdict,
        reason: report.reason,
        initDurationMs: report.initDurationMs,
        coldStarts: report.coldStarts?.n ?? 0,
        durationMs: report.durationMs,
      });
      await writeOnce(
        () => deps.store.update(deploymentId, { smoke: report }).then(() => {}),
        (attempt) => deps.logger.warn('smoke report write retried', { deploymentId, attempt }),
      );
      return report;
    },
    (report) =>
      report.passed
        ? 'passed'
        : `${report.verdict === 'reject' ? 'rejected' : 'failed'}: ${report.reason}`,
  );
}

/** Reuses the digest's recorded verdict, or measures and judges (recording the verdict). */
async function judgeVersion(input: SmokeInvokeInput, deps: SmokeInvokeDeps): Promise<SmokeReport> {
  const { deploymentId, functionName, version, digest, smoke } = input;
  const settings = verdictSettingsOf(smoke);
  const prior = settings
    ? reusableVerdict(await deps.store.getVerdict(functionName, digest), settings)
    : null;
  if (prior) {
    const payload = JSON.stringify(smoke.payload === undefined ? {} : smoke.payload);
    const result = await deps.functions.invoke(functionName, version, payload);
    const gate = reusedGate(prior, smoke.enforceGrowth);
    return judge([result], smoke, gate, prior.gate.sample ?? null, version);
  }
  const measured = await measureColdStarts(input, deps);
  const gate = evaluateInitGrowth({
    sample: measured.sample,
    requested: smoke.samples,
    live: measured.live,
    baseline: measured.baseline,
    maxInitGrowthRatio: smoke.maxInitGrowthRatio,
    minInitDeltaMs: smoke.minInitDeltaMs,
    inconclusiveBlocks: smoke.inconclusiveBlocks,
    enforced: smoke.enforceGrowth,
  });
  const report = judge(measured.results, smoke, gate, measured.sample, version);
  // Null when the runtime reported no Init Duration: a missing figure is not a sample.
  if (measured.sample) deps.metrics.add('InitDurationMs', measured.sample.medianMs, {});
  // A misbehaving version's starts say nothing about the digest; a rollback is judged otherwise.
  const context = { functionName, digest, deploymentId, version };
  const verdict =
    settings && smoke.enforceGrowth && report.verdict !== 'fail'
      ? verdictOf(gate, { ...context, judgedAt: deps.clock.now().toISOString(), settings })
      : null;
  if (verdict) {
    await writeOnce(
      () => deps.store.putVerdict(verdict),
      (attempt) => deps.logger.warn('cold-start verdict write retried', { deploymentId, attempt }),
    );
  }
  return report;
}

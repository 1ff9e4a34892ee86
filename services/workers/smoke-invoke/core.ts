import { z } from 'zod';
import type { SmokeReport } from '../../core/deployment.ts';
import { isFerryError } from '../../core/errors.ts';
import { evaluateInitGrowth, failedGateReasons } from '../../core/gates.ts';
import type { InvokeResult } from '../../core/ports.ts';
import { parseReportLine } from '../../core/report-line.ts';
import { prepareResultSchema } from '../../core/workflow.ts';
import type { WorkerDeps } from '../deps.ts';
import { withStep } from '../step-recorder.ts';
import { checkResponse, functionErrorReason } from './assertions.ts';

/** How much of the response payload the report keeps. */
export const RESPONSE_EXCERPT_CHARS = 512;

/** SmokeInvoke's input: the new version and Prepare's smoke plan. */
export const smokeInvokeInputSchema = z.object({
  deploymentId: z.string().min(1),
  functionName: z.string().min(1),
  /** The version UpdateFunction published (never the alias: traffic has not moved). */
  version: z.string().min(1),
  smoke: prepareResultSchema.shape.smoke,
});

/** SmokeInvoke's input. */
export type SmokeInvokeInput = z.output<typeof smokeInvokeInputSchema>;

/** The ports SmokeInvoke uses. */
export type SmokeInvokeDeps = Pick<
  WorkerDeps,
  'functions' | 'store' | 'clock' | 'logger' | 'metrics'
>;

/** How many times the report write is tried: the cold start it records can be observed only once. */
const REPORT_WRITE_ATTEMPTS = 3;

/**
 * Invokes the new version once with the settings' payload and judges the response and the
 * cold-start gate. A failed smoke (`fail`) or a failed gate (`reject`) is a report with
 * `passed: false` that the workflow's Choice routes, not an error.
 *
 * A version's first invoke is its cold start, which cannot be repeated: a retried attempt that
 * finds this version's report on the record returns it instead of invoking again (warm).
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
      const { deploymentId, functionName, version, smoke } = input;
      const recorded = (await deps.store.get(deploymentId))?.smoke;
      if (recorded?.version === version) {
        deps.logger.info('smoke report reused', { deploymentId, functionName, version });
        return recorded;
      }
      const result = await deps.functions.invoke(
        functionName,
        version,
        JSON.stringify(smoke.payload === undefined ? {} : smoke.payload),
      );
      const report = judge(result, input.smoke, version);
      deps.logger.info('smoke invoke judged', {
        deploymentId,
        functionName,
        version,
        passed: report.passed,
        verdict: report.verdict,
        reason: report.reason,
        initDurationMs: report.initDurationMs,
        durationMs: report.durationMs,
      });
      // Null when the runtime reported no Init Duration: a missing figure is not a sample.
      if (report.initDurationMs !== null && report.initDurationMs > 0)
        deps.metrics.add('InitDurationMs', report.initDurationMs, {});
      await writeReport(deploymentId, report, deps);
      return report;
    },
    (report) =>
      report.passed
        ? 'passed'
        : `${report.verdict === 'reject' ? 'rejected' : 'failed'}: ${report.reason}`,
  );
}

/** Stores the report, retrying a transient failure: a step retry could only invoke warm. */
async function writeReport(id: string, report: SmokeReport, deps: SmokeInvokeDeps): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.store.update(id, { smoke: report });
      return;
    } catch (error) {
      if (attempt >= REPORT_WRITE_ATTEMPTS || !isFerryError(error, 'TransientError')) throw error;
      deps.logger.warn('smoke report write retried', { deploymentId: id, attempt });
    }
  }
}

/**
 * Builds the smoke report of one invocation: `fail` when the version misbehaves, else `reject`
 * when the cold-start gate failed, else `pass`. The gate's figures are kept either way.
 */
export function judge(
  result: InvokeResult,
  smoke: SmokeInvokeInput['smoke'],
  version?: string,
): SmokeReport {
  const figures = result.report ?? parseReportLine(result.logTail);
  const initDurationMs = figures?.initDurationMs ?? null;
  const failures = functionalFailures(result, smoke);
  const coldStart = evaluateInitGrowth({
    initDurationMs,
    liveInitDurationMs: smoke.liveInitDurationMs,
    maxInitGrowthRatio: smoke.maxInitGrowthRatio,
    minInitDeltaMs: smoke.minInitDeltaMs,
  });
  const gateFailures = failedGateReasons([coldStart]);
  // A misbehaving version is a failed smoke whatever its cold start; the gate decides otherwise.
  const reasons = failures.length > 0 ? failures : gateFailures;
  const verdict = failures.length > 0 ? 'fail' : gateFailures.length > 0 ? 'reject' : 'pass';
  return {
    passed: verdict === 'pass',
    verdict,
    ...(version ? { version } : {}),
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
    statusCode: result.statusCode,
    ...(result.functionError ? { functionError: result.functionError } : {}),
    responseExcerpt: result.payload.slice(0, RESPONSE_EXCERPT_CHARS),
    initDurationMs,
    durationMs: figures?.durationMs ?? null,
    maxMemoryUsedMb: figures?.maxMemoryUsedMb ?? null,
    gates: [coldStart],
  };
}

function functionalFailures(result: InvokeResult, smoke: SmokeInvokeInput['smoke']): string[] {
  // A function error or a failed invoke makes the response assertions meaningless: stop there.
  if (result.functionError) return [functionErrorReason(result.functionError, result.payload)];
  if (result.statusCode < 200 || result.statusCode > 299) {
    return [`the invoke returned HTTP status ${result.statusCode}, expected 2xx`];
  }
  return checkResponse(result.payload, smoke);
}

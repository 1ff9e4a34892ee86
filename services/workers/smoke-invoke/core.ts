import { z } from 'zod';
import type { SmokeReport } from '../../core/deployment.ts';
import type { InvokeResult } from '../../core/ports.ts';
import { parseReportLine } from '../../core/report-line.ts';
import { prepareResultSchema } from '../../core/workflow.ts';
import type { WorkerDeps } from '../deps.ts';
import { withStep } from '../step-recorder.ts';
import { checkColdStart, checkResponse, functionErrorReason } from './assertions.ts';

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
export type SmokeInvokeDeps = Pick<WorkerDeps, 'functions' | 'store' | 'clock' | 'logger'>;

/**
 * Invokes the new version once with the settings' payload and judges the response. A failed
 * smoke is a report with `passed: false` (the workflow's Choice rolls back), not an error.
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
      const result = await deps.functions.invoke(
        functionName,
        version,
        JSON.stringify(smoke.payload === undefined ? {} : smoke.payload),
      );
      const report = judge(result, input.smoke);
      deps.logger.info('smoke invoke judged', {
        deploymentId,
        functionName,
        version,
        passed: report.passed,
        reason: report.reason,
        initDurationMs: report.initDurationMs,
      });
      await deps.store.update(deploymentId, { smoke: report });
      return report;
    },
    (report) => (report.passed ? 'passed' : `failed: ${report.reason}`),
  );
}

/** Builds the smoke report of one invocation. */
export function judge(result: InvokeResult, smoke: SmokeInvokeInput['smoke']): SmokeReport {
  const figures = result.report ?? parseReportLine(result.logTail);
  const initDurationMs = figures?.initDurationMs ?? null;
  const reasons = failures(result, smoke, initDurationMs);
  return {
    passed: reasons.length === 0,
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
    statusCode: result.statusCode,
    ...(result.functionError ? { functionError: result.functionError } : {}),
    responseExcerpt: result.payload.slice(0, RESPONSE_EXCERPT_CHARS),
    initDurationMs,
    durationMs: figures?.durationMs ?? null,
    maxMemoryUsedMb: figures?.maxMemoryUsedMb ?? null,
  };
}

function failures(
  result: InvokeResult,
  smoke: SmokeInvokeInput['smoke'],
  initDurationMs: number | null,
): string[] {
  // A function error or a failed invoke makes the response assertions meaningless: stop there.
  if (result.functionError) return [functionErrorReason(result.functionError, result.payload)];
  if (result.statusCode < 200 || result.statusCode > 299) {
    return [`the invoke returned HTTP status ${result.statusCode}, expected 2xx`];
  }
  return [
    ...checkResponse(result.payload, smoke),
    ...checkColdStart({
      initDurationMs,
      liveInitDurationMs: smoke.liveInitDurationMs,
      maxInitGrowthRatio: smoke.maxInitGrowthRatio,
      minInitDeltaMs: smoke.minInitDeltaMs,
    }),
  ];
}

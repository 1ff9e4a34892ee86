/**
 * The smoke report of a set of invokes of the new version: `fail` when any of them misbehaved,
 * else `reject` when the cold-start gate blocks, else `pass`. Pure.
 */

import type { ColdStartSample } from '../../core/cold-start.ts';
import { quantile } from '../../core/cold-start.ts';
import type { SmokeReport } from '../../core/deployment.ts';
import { blockingGateReasons, type GateResult } from '../../core/gates.ts';
import type { InvokeResult } from '../../core/ports.ts';
import { isFailedReport, parseReportLine, type ReportLine } from '../../core/report-line.ts';
import type { PrepareResult } from '../../core/workflow.ts';
import { checkResponse, functionErrorReason } from './assertions.ts';

/** How much of the response payload the report keeps. */
export const RESPONSE_EXCERPT_CHARS = 512;

/** The REPORT figures of one invoke: the structured ones, else parsed from the log tail. */
export function figuresOf(result: InvokeResult): ReportLine | null {
  return result.report ?? parseReportLine(result.logTail);
}

/**
 * The Init Durations of the invokes that were cold starts; `answered` keeps only those that
 * answered without a function error (a baseline's: a broken live version is no yardstick).
 * An invocation the platform ended (REPORT `Status: timeout` or `error`: a failed init, a
 * timeout, an exit) is never a sample: its figure measures the failure, not a start.
 */
export function coldFigures(results: readonly InvokeResult[], answered = false): number[] {
  return results.flatMap((r) => {
    const figures = figuresOf(r);
    if (isFailedReport(figures)) return [];
    const init = answered && r.functionError ? null : figures?.initDurationMs;
    return typeof init === 'number' ? [init] : [];
  });
}

/** Why one invoke failed the smoke; empty when it passed. */
export function functionalFailures(result: InvokeResult, smoke: PrepareResult['smoke']): string[] {
  // A function error or a failed invoke makes the response assertions meaningless: stop there.
  if (result.functionError) return [functionErrorReason(result.functionError, result.payload)];
  if (result.statusCode < 200 || result.statusCode > 299) {
    return [`the invoke returned HTTP status ${result.statusCode}, expected 2xx`];
  }
  return checkResponse(result.payload, smoke);
}

/**
 * Builds the report: the first misbehaving invoke decides a `fail` (and is the one shown); the
 * gate's figures are kept either way. Init Duration is the median of `coldStarts`; Duration the
 * median of the invokes'; memory the most any used.
 */
export function judge(
  results: readonly InvokeResult[],
  smoke: PrepareResult['smoke'],
  gate: GateResult,
  coldStarts: ColdStartSample | null,
  version?: string,
): SmokeReport {
  const failing = results.find((r) => functionalFailures(r, smoke).length > 0);
  const shown = failing ?? results[0];
  if (!shown) throw new RangeError('judge needs at least one invoke');
  const failures = failing ? functionalFailures(failing, smoke) : [];
  const gateFailures = blockingGateReasons([gate]);
  // A misbehaving version is a failed smoke whatever its cold start; the gate decides otherwise.
  const reasons = failures.length > 0 ? failures : gateFailures;
  const verdict = failures.length > 0 ? 'fail' : gateFailures.length > 0 ? 'reject' : 'pass';
  const figures = results.flatMap((r) => {
    const f = figuresOf(r);
    return f ? [f] : [];
  });
  const durations = figures
    .flatMap((f) => (f.durationMs === null ? [] : [f.durationMs]))
    .sort((a, b) => a - b);
  const memory = figures.flatMap((f) => (f.maxMemoryUsedMb === null ? [] : [f.maxMemoryUsedMb]));
  return {
    passed: verdict === 'pass',
    verdict,
    ...(version ? { version } : {}),
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
    statusCode: shown.statusCode,
    ...(shown.functionError ? { functionError: shown.functionError } : {}),
    responseExcerpt: shown.payload.slice(0, RESPONSE_EXCERPT_CHARS),
    initDurationMs: coldStarts?.medianMs ?? null,
    durationMs: durations.length > 0 ? Math.round(quantile(durations, 0.5) * 100) / 100 : null,
    maxMemoryUsedMb: memory.length > 0 ? Math.max(...memory) : null,
    coldStarts,
    gates: [gate],
  };
}

/** Figures from a Lambda `REPORT RequestId: …` log line. */
export interface ReportLine {
  readonly requestId: string | null;
  readonly durationMs: number | null;
  readonly billedDurationMs: number | null;
  readonly memorySizeMb: number | null;
  readonly maxMemoryUsedMb: number | null;
  /** Present only on a cold start; null otherwise (Lambda prints no line then). */
  readonly initDurationMs: number | null;
  /**
   * Lambda's `Status:` when the platform ended the invocation — `timeout`, or `error` (the
   * runtime exited, ran out of memory, or its init failed) — null when it ran to an answer
   * (a handled function error included). An invocation with a status is no timing sample.
   */
  readonly status?: ReportStatus | null;
  /** Lambda's `Error Type:` beside an `error` status (`Runtime.ExitError`, `Runtime.OutOfMemory`, …). */
  readonly errorType?: string | null;
}

/** How the platform ended an invocation that did not run to an answer. */
export type ReportStatus = 'timeout' | 'error';

/** The figures of a Lambda `INIT_REPORT` line (printed when init failed or timed out). */
export interface InitReportLine {
  readonly initDurationMs: number;
  readonly status: ReportStatus;
  readonly errorType: string | null;
}

/** True when the report is of an invocation the platform ended (timeout, error): no usable sample. */
export function isFailedReport(report: ReportLine | null | undefined): boolean {
  return report?.status === 'timeout' || report?.status === 'error';
}

function statusOf(value: string | undefined): ReportStatus | null {
  return value === 'timeout' || value === 'error' ? value : null;
}

function field(line: string, label: string): number | null {
  const match = new RegExp(`${label}:\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(?:ms|MB)`).exec(line);
  return match?.[1] ? Number(match[1]) : null;
}

/**
 * Finds and parses the REPORT line in a Lambda log tail (`LogType: Tail` gives the last 4 KB).
 * Returns null when there is no REPORT line.
 */
export function parseReportLine(logTail: string): ReportLine | null {
  const lines = logTail.split(/\r?\n/).reverse();
  const line = lines.find((l) => l.startsWith('REPORT '));
  if (!line) return parseJsonReport(lines);
  const requestId = /RequestId:\s*([A-Za-z0-9-]+)/.exec(line)?.[1] ?? null;
  const status = statusOf(/\bStatus:\s*([a-z]+)/.exec(line)?.[1]);
  return {
    requestId,
    durationMs: field(line, '(?<!Billed |Init )Duration'),
    billedDurationMs: field(line, 'Billed Duration'),
    memorySizeMb: field(line, 'Memory Size'),
    maxMemoryUsedMb: field(line, 'Max Memory Used'),
    initDurationMs: field(line, 'Init Duration'),
    status,
    errorType: status ? (/Error Type:\s*(\S+)/.exec(line)?.[1] ?? null) : null,
  };
}

/** Formats Lambda's `INIT_REPORT Init Duration: … Phase: init Status: … [Error Type: …]` line. */
export function formatInitReportLine(r: InitReportLine): string {
  const parts = [
    `INIT_REPORT Init Duration: ${r.initDurationMs.toFixed(2)} ms`,
    'Phase: init',
    `Status: ${r.status}`,
  ];
  if (r.errorType) parts.push(`Error Type: ${r.errorType}`);
  return parts.join('\t');
}

/** Formats figures as Lambda does, for local hosts that report like Lambda. */
export function formatReportLine(r: ReportLine): string {
  const parts = [`REPORT RequestId: ${r.requestId ?? '-'}`];
  if (r.durationMs !== null) parts.push(`Duration: ${r.durationMs.toFixed(2)} ms`);
  if (r.billedDurationMs !== null) parts.push(`Billed Duration: ${r.billedDurationMs} ms`);
  if (r.memorySizeMb !== null) parts.push(`Memory Size: ${r.memorySizeMb} MB`);
  if (r.maxMemoryUsedMb !== null) parts.push(`Max Memory Used: ${r.maxMemoryUsedMb} MB`);
  // A failed init is reported by INIT_REPORT: the REPORT line has no Init Duration then.
  if (r.initDurationMs !== null && !isFailedReport(r)) {
    parts.push(`Init Duration: ${r.initDurationMs.toFixed(2)} ms`);
  }
  if (r.status) parts.push(`Status: ${r.status}`);
  if (r.status === 'error' && r.errorType) parts.push(`Error Type: ${r.errorType}`);
  return parts.join('\t');
}

/** Functions with `LoggingConfig.LogFormat: JSON` log a `platform.report` record instead of a REPORT line. */
function parseJsonReport(linesNewestFirst: readonly string[]): ReportLine | null {
  for (const line of linesNewestFirst) {
    if (!line.includes('"platform.report"')) continue;
    try {
      const entry = JSON.parse(line) as {
        type?: string;
        record?: {
          requestId?: string;
          status?: string;
          errorType?: string;
          metrics?: Record<string, unknown>;
        };
      };
      if (entry.type !== 'platform.report') continue;
      const m = entry.record?.metrics ?? {};
      const num = (v: unknown) => (typeof v === 'number' ? v : null);
      // Telemetry's statuses are success | failure | error | timeout; `failure` is a handled
      // function error, which ran to an answer.
      const status = statusOf(entry.record?.status);
      return {
        requestId: entry.record?.requestId ?? null,
        durationMs: num(m.durationMs),
        billedDurationMs: num(m.billedDurationMs),
        memorySizeMb: num(m.memorySizeMB),
        maxMemoryUsedMb: num(m.maxMemoryUsedMB),
        initDurationMs: num(m.initDurationMs),
        status,
        errorType: status ? (entry.record?.errorType ?? null) : null,
      };
    } catch {
      // A truncated first line of the 4 KB tail: keep looking.
    }
  }
  return null;
}

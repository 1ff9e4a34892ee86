/** Figures from a Lambda `REPORT RequestId: …` log line. */
export interface ReportLine {
  readonly requestId: string | null;
  readonly durationMs: number | null;
  readonly billedDurationMs: number | null;
  readonly memorySizeMb: number | null;
  readonly maxMemoryUsedMb: number | null;
  /** Present only on a cold start; null otherwise (Lambda prints no line then). */
  readonly initDurationMs: number | null;
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
  return {
    requestId,
    durationMs: field(line, '(?<!Billed |Init )Duration'),
    billedDurationMs: field(line, 'Billed Duration'),
    memorySizeMb: field(line, 'Memory Size'),
    maxMemoryUsedMb: field(line, 'Max Memory Used'),
    initDurationMs: field(line, 'Init Duration'),
  };
}

/** Formats figures as Lambda does, for local hosts that report like Lambda. */
export function formatReportLine(r: ReportLine): string {
  const parts = [`REPORT RequestId: ${r.requestId ?? '-'}`];
  if (r.durationMs !== null) parts.push(`Duration: ${r.durationMs.toFixed(2)} ms`);
  if (r.billedDurationMs !== null) parts.push(`Billed Duration: ${r.billedDurationMs} ms`);
  if (r.memorySizeMb !== null) parts.push(`Memory Size: ${r.memorySizeMb} MB`);
  if (r.maxMemoryUsedMb !== null) parts.push(`Max Memory Used: ${r.maxMemoryUsedMb} MB`);
  if (r.initDurationMs !== null) parts.push(`Init Duration: ${r.initDurationMs.toFixed(2)} ms`);
  return parts.join('\t');
}

/** Functions with `LoggingConfig.LogFormat: JSON` log a `platform.report` record instead of a REPORT line. */
function parseJsonReport(linesNewestFirst: readonly string[]): ReportLine | null {
  for (const line of linesNewestFirst) {
    if (!line.includes('"platform.report"')) continue;
    try {
      const entry = JSON.parse(line) as {
        type?: string;
        record?: { requestId?: string; metrics?: Record<string, unknown> };
      };
      if (entry.type !== 'platform.report') continue;
      const m = entry.record?.metrics ?? {};
      const num = (v: unknown) => (typeof v === 'number' ? v : null);
      return {
        requestId: entry.record?.requestId ?? null,
        durationMs: num(m.durationMs),
        billedDurationMs: num(m.billedDurationMs),
        memorySizeMb: num(m.memorySizeMB),
        maxMemoryUsedMb: num(m.maxMemoryUsedMB),
        initDurationMs: num(m.initDurationMs),
      };
    } catch {
      // A truncated first line of the 4 KB tail: keep looking.
    }
  }
  return null;
}

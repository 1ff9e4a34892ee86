import { describe, expect, it } from 'vitest';
import type { InvokeResult } from '../../core/ports.ts';
import { formatReportLine, type ReportLine } from '../../core/report-line.ts';
import { coldFigures } from './judge.ts';

/** An invoke whose REPORT figures are `report`, given structured or only as a log tail. */
function invoke(report: ReportLine, structured: boolean, functionError?: string): InvokeResult {
  return {
    statusCode: 200,
    ...(functionError ? { functionError } : {}),
    payload: '{}',
    logTail: `${formatReportLine(report)}\n`,
    report: structured ? report : null,
  };
}

const figures = (over: Partial<ReportLine>): ReportLine => ({
  requestId: 'r',
  durationMs: 10,
  billedDurationMs: 160,
  memorySizeMb: 128,
  maxMemoryUsedMb: 20,
  initDurationMs: 150,
  ...over,
});

describe('Function: coldFigures', () => {
  it('counts the Init Duration of cold starts that ran to an answer', () => {
    const results = [invoke(figures({}), true), invoke(figures({ initDurationMs: 170 }), false)];
    expect(coldFigures(results)).toEqual([150, 170]);
  });

  it('never counts an invocation the platform ended (timeout, init error) as a sample', () => {
    for (const structured of [true, false]) {
      const results = [
        invoke(figures({ status: 'timeout' }), structured, 'Unhandled'),
        invoke(
          figures({ status: 'error', errorType: 'Runtime.ExitError', initDurationMs: 3 }),
          structured,
          'Unhandled',
        ),
        invoke(figures({ initDurationMs: 160 }), structured),
      ];
      expect(coldFigures(results)).toEqual([160]);
    }
  });
});

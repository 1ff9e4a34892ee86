import { describe, expect, it } from 'vitest';
import {
  formatInitReportLine,
  formatReportLine,
  isFailedReport,
  parseReportLine,
  type ReportLine,
} from './report-line.ts';

const REQUEST_ID = '6f1c2a9e-0b7d-4c1e-9d2f-3a4b5c6d7e8f';

/** A log tail as Lambda returns it (decoded) for one invocation. */
const tail = (report: string) =>
  [
    `START RequestId: ${REQUEST_ID} Version: 5`,
    `2026-03-01T10:00:00.123Z\t${REQUEST_ID}\tINFO\tDuration: 99 ms (the app's own log line)`,
    `END RequestId: ${REQUEST_ID}`,
    report,
    '',
  ].join('\n');

describe('Function: parseReportLine', () => {
  it('reads every figure of a cold start, Init Duration included', () => {
    const report = parseReportLine(
      tail(
        `REPORT RequestId: ${REQUEST_ID}\tDuration: 12.34 ms\tBilled Duration: 571 ms\tMemory Size: 512 MB\tMax Memory Used: 80 MB\tInit Duration: 558.21 ms\t`,
      ),
    );
    expect(report).toEqual({
      requestId: REQUEST_ID,
      durationMs: 12.34,
      billedDurationMs: 571,
      memorySizeMb: 512,
      maxMemoryUsedMb: 80,
      initDurationMs: 558.21,
      status: null,
      errorType: null,
    });
  });

  it('gives a null Init Duration on a warm start', () => {
    const report = parseReportLine(
      tail(
        `REPORT RequestId: ${REQUEST_ID}\tDuration: 1.02 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 67 MB\t`,
      ),
    );
    expect(report).toEqual({
      requestId: REQUEST_ID,
      durationMs: 1.02,
      billedDurationMs: 2,
      memorySizeMb: 128,
      maxMemoryUsedMb: 67,
      initDurationMs: null,
      status: null,
      errorType: null,
    });
  });

  it('reads a zero duration as 0, not as missing', () => {
    const report = parseReportLine(
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 0 ms\tBilled Duration: 1 ms`,
    );
    expect(report).toMatchObject({ durationMs: 0, billedDurationMs: 1 });
  });

  it('finds the REPORT line before an XRAY line in CRLF-separated output', () => {
    const report = parseReportLine(
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 3.50 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\tMax Memory Used: 30 MB\tInit Duration: 100.10 ms\t\r\nXRAY TraceId: 1-5e1b4151-5ac6c58f\tSegmentId: 0e4b3e\tSampled: true\r\n`,
    );
    expect(report).toMatchObject({ durationMs: 3.5, initDurationMs: 100.1 });
  });

  it('returns null when the tail has no REPORT line', () => {
    expect(parseReportLine(`START RequestId: ${REQUEST_ID} Version: 5\nhello\n`)).toBeNull();
    expect(parseReportLine('')).toBeNull();
  });
});

describe('Function: formatReportLine', () => {
  it('writes a line parseReportLine reads back', () => {
    const figures: ReportLine = {
      requestId: REQUEST_ID,
      durationMs: 12.5,
      billedDurationMs: 13,
      memorySizeMb: 512,
      maxMemoryUsedMb: 64,
      initDurationMs: 150,
      status: null,
      errorType: null,
    };
    const line = formatReportLine(figures);
    expect(line).toBe(
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 12.50 ms\tBilled Duration: 13 ms\tMemory Size: 512 MB\tMax Memory Used: 64 MB\tInit Duration: 150.00 ms`,
    );
    expect(parseReportLine(line)).toEqual(figures);
  });

  it('leaves out figures that are null', () => {
    const line = formatReportLine({
      requestId: null,
      durationMs: 1,
      billedDurationMs: null,
      memorySizeMb: null,
      maxMemoryUsedMb: null,
      initDurationMs: null,
    });
    expect(line).toBe('REPORT RequestId: -\tDuration: 1.00 ms');
  });
});

describe('Function: parseReportLine (JSON log format)', () => {
  it('reads the platform.report record of a function that logs JSON', () => {
    const tail = [
      '{"time":"2026-11-28T12:00:00.000Z","type":"platform.start","record":{"requestId":"r-1"}}',
      '{"time":"2026-11-28T12:00:00.200Z","type":"platform.report","record":{"requestId":"r-1","metrics":{"durationMs":12.3,"billedDurationMs":13,"memorySizeMB":512,"maxMemoryUsedMB":71,"initDurationMs":181.4},"status":"success"}}',
    ].join('\n');
    expect(parseReportLine(tail)).toEqual({
      requestId: 'r-1',
      durationMs: 12.3,
      billedDurationMs: 13,
      memorySizeMb: 512,
      maxMemoryUsedMb: 71,
      initDurationMs: 181.4,
      status: null,
      errorType: null,
    });
  });

  it('gives a null Init Duration for a warm JSON report and skips truncated lines', () => {
    const tail =
      'ord":{"trunc\n{"type":"platform.report","record":{"requestId":"r-2","metrics":{"durationMs":1}}}';
    expect(parseReportLine(tail)).toMatchObject({
      requestId: 'r-2',
      durationMs: 1,
      initDurationMs: null,
    });
  });
});

describe('Function: parseReportLine (status of an invocation the platform ended)', () => {
  it('reads Status: timeout, whose Duration is the configured timeout', () => {
    const report = parseReportLine(
      tail(
        `REPORT RequestId: ${REQUEST_ID}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 21 MB\tStatus: timeout`,
      ),
    );
    expect(report).toMatchObject({ durationMs: 3000, status: 'timeout', errorType: null });
    expect(isFailedReport(report)).toBe(true);
  });

  it('reads Status: error with its Error Type after a failed init', () => {
    const report = parseReportLine(
      tail(
        [
          'INIT_REPORT Init Duration: 80.12 ms\tPhase: init\tStatus: error\tError Type: Runtime.ExitError',
          `REPORT RequestId: ${REQUEST_ID}\tDuration: 81.00 ms\tBilled Duration: 82 ms\tMemory Size: 128 MB\tMax Memory Used: 3 MB\tStatus: error\tError Type: Runtime.ExitError`,
        ].join('\n'),
      ),
    );
    expect(report).toMatchObject({
      status: 'error',
      errorType: 'Runtime.ExitError',
      initDurationMs: null,
      maxMemoryUsedMb: 3,
    });
    expect(isFailedReport(report)).toBe(true);
  });

  it('reads status and errorType of a JSON platform.report; failure (a handled error) is no platform status', () => {
    const json = (status: string, errorType?: string) =>
      JSON.stringify({
        type: 'platform.report',
        record: { requestId: 'r-3', status, errorType, metrics: { durationMs: 3000 } },
      });
    expect(parseReportLine(json('timeout'))).toMatchObject({ status: 'timeout' });
    expect(parseReportLine(json('error', 'Runtime.OutOfMemory'))).toMatchObject({
      status: 'error',
      errorType: 'Runtime.OutOfMemory',
    });
    expect(parseReportLine(json('failure', 'Error'))).toMatchObject({
      status: null,
      errorType: null,
    });
    expect(isFailedReport(parseReportLine(json('success')))).toBe(false);
  });
});

describe('Function: formatReportLine (failed invocations)', () => {
  it('writes Status and Error Type and no Init Duration for a failed init', () => {
    const line = formatReportLine({
      requestId: REQUEST_ID,
      durationMs: 81,
      billedDurationMs: 82,
      memorySizeMb: 128,
      maxMemoryUsedMb: 3,
      initDurationMs: 80.12,
      status: 'error',
      errorType: 'Runtime.ExitError',
    });
    expect(line).toBe(
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 81.00 ms\tBilled Duration: 82 ms\tMemory Size: 128 MB\tMax Memory Used: 3 MB\tStatus: error\tError Type: Runtime.ExitError`,
    );
    expect(parseReportLine(line)).toMatchObject({ initDurationMs: null, status: 'error' });
  });

  it('writes the INIT_REPORT line of a failed init', () => {
    expect(
      formatInitReportLine({
        initDurationMs: 10000,
        status: 'timeout',
        errorType: null,
      }),
    ).toBe('INIT_REPORT Init Duration: 10000.00 ms\tPhase: init\tStatus: timeout');
  });
});

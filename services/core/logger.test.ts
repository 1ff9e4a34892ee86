import { describe, expect, it } from 'vitest';
import { protectLogData } from './log-record.ts';
import { jsonLogger, withLogKeys } from './logger.ts';

function capture(base: Record<string, unknown> = {}) {
  const lines: Record<string, unknown>[] = [];
  const logger = jsonLogger(base, (line) => lines.push(JSON.parse(line)));
  return { logger, lines };
}

describe('Function: jsonLogger', () => {
  it("never lets a line's data replace its message, level or timestamp; the values are kept", () => {
    const { logger, lines } = capture();
    logger.warn('step failed', {
      message: 'throttled',
      level: 'debug',
      timestamp: 'yesterday',
      step: 'ScanImage',
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'WARN',
      message: 'step failed',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data_message: 'throttled',
      data_level: 'debug',
      data_timestamp: 'yesterday',
      step: 'ScanImage',
    });
  });

  it('never lets base fields replace the message or level either', () => {
    const { logger, lines } = capture({ service: 'ferry-local', message: 'base' });
    logger.info('settings stored');
    expect(lines[0]).toMatchObject({ level: 'INFO', message: 'settings stored' });
    expect(lines[0]?.service).toBe('ferry-local');
  });
});

describe('Function: withLogKeys', () => {
  it('puts the keys on every line; a repeated equal value is dropped, a different one moved aside', () => {
    const { logger, lines } = capture();
    const step = withLogKeys(logger, { deploymentId: 'd-1', step: 'Finalize' });
    step.info('deployment finalized', { deploymentId: 'd-1', status: 'SUCCEEDED' });
    step.error('deployment record missing', { deploymentId: 'd-2' });
    expect(lines[0]).toEqual({
      level: 'INFO',
      message: 'deployment finalized',
      timestamp: expect.any(String),
      deploymentId: 'd-1',
      step: 'Finalize',
      status: 'SUCCEEDED',
    });
    expect(lines[1]).toMatchObject({ deploymentId: 'd-1', data_deploymentId: 'd-2' });
  });
});

describe('Function: protectLogData', () => {
  it('moves a reserved key aside without overwriting a data key already named so', () => {
    const safe = protectLogData(
      { message: 'a', data_message: 'b', other: 1 },
      new Set(['message', 'level']),
    );
    expect(safe).toEqual({ data_data_message: 'a', data_message: 'b', other: 1 });
  });

  it('returns an empty object for no data', () => {
    expect(protectLogData(undefined, new Set(['message']))).toEqual({});
  });
});

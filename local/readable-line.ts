import type { LogLine } from '../services/core/logger.ts';

/** Text that reads as one token; anything else is quoted (JSON), so each pair stays one token. */
const PLAIN = /^[\w.:/@+-]+$/;

function show(value: unknown): string {
  if (typeof value === 'string') return PLAIN.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/**
 * A log line for a person at a terminal: `timestamp LEVEL message key=value …`, every field of
 * the JSON line, in its order.
 */
export function readableLine(line: LogLine): string {
  const { level, message, timestamp, ...fields } = line;
  const pairs = Object.entries(fields).map(([key, value]) => `${key}=${show(value)}`);
  return [timestamp, level.padEnd(5), message, ...pairs].join(' ');
}

import { type Logger, recordLogger } from '../services/core/logger.ts';
import { readableLine } from './readable-line.ts';

/** Where local mode's lines go (stderr): a terminal, or a pipe or file. */
export interface LogStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * Local mode's logger: the fields a Lambda line has (level, message, timestamp, service, keys,
 * data), one line each — readable on a terminal, JSON (as on AWS) when piped. Debug lines only
 * with `debug`.
 */
export function localLogger(stream: LogStream, options: { debug?: boolean } = {}): Logger {
  const format = stream.isTTY ? readableLine : JSON.stringify;
  return recordLogger({
    base: { service: 'ferry-local' },
    minLevel: options.debug ? 'debug' : 'info',
    emit: (line) => stream.write(`${format(line)}\n`),
  });
}

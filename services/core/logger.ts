import { type LogData, logRecord, protectLogData } from './log-record.ts';

export type { LogData } from './log-record.ts';

/**
 * Structured logger port: a fixed message, data in an object. Implementations keep a line's own
 * fields (level, message, timestamp, invocation keys) safe from its data (log-record.ts).
 */
export interface Logger {
  debug(message: string, data?: LogData): void;
  info(message: string, data?: LogData): void;
  warn(message: string, data?: LogData): void;
  error(message: string, data?: LogData): void;
}

/** The port's levels, most verbose first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** One of the port's levels. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One line as a record, shaped like Powertools' (upper-case level, ISO timestamp). */
export type LogLine = Readonly<Record<string, unknown>> & {
  readonly level: Uppercase<LogLevel>;
  readonly message: string;
  readonly timestamp: string;
};

/** A logger built from one function that receives every line's level, message and data. */
export function loggerFrom(
  log: (level: LogLevel, message: string, data?: LogData) => void,
): Logger {
  return {
    debug: (message, data) => log('debug', message, data),
    info: (message, data) => log('info', message, data),
    warn: (message, data) => log('warn', message, data),
    error: (message, data) => log('error', message, data),
  };
}

/** Options of {@link recordLogger}. */
export interface RecordLoggerOptions {
  /** Fields on every line (e.g. `service`); they never replace level, message or timestamp. */
  readonly base?: LogData;
  /** Lines below this level are dropped. @default 'debug' */
  readonly minLevel?: LogLevel;
  /** Receives each line's record. */
  readonly emit: (line: LogLine) => void;
}

/** A logger that turns each entry into a {@link LogLine} record: level, message, timestamp, base, data. */
export function recordLogger(options: RecordLoggerOptions): Logger {
  const min = LOG_LEVELS.indexOf(options.minLevel ?? 'debug');
  return loggerFrom((level, message, data) => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    const own = {
      level: level.toUpperCase() as Uppercase<LogLevel>,
      message,
      timestamp: new Date().toISOString(),
    };
    options.emit(logRecord({ ...own, ...protectLogData(options.base, new Set(), own) }, data));
  });
}

/** A logger that writes one JSON line per entry. */
export function jsonLogger(
  base: LogData = {},
  write = (line: string) => console.log(line),
): Logger {
  return recordLogger({ base, emit: (line) => write(JSON.stringify(line)) });
}

/**
 * `logger` with `keys` on every line (a step's deployment id, say) where the implementation has
 * no keys of its own; a line's data never replaces them (a different value is moved aside).
 */
export function withLogKeys(logger: Logger, keys: LogData): Logger {
  return loggerFrom((level, message, data) =>
    logger[level](message, { ...keys, ...protectLogData(data, new Set(), keys) }),
  );
}

/** A logger that drops everything. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Structured logger port: fixed message, data in an object. */
export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** A logger that writes one JSON line per entry to stdout (Lambda ships it to CloudWatch). */
export function jsonLogger(
  base: Record<string, unknown> = {},
  write = (line: string) => console.log(line),
): Logger {
  const log = (level: string) => (message: string, data?: Record<string, unknown>) =>
    write(JSON.stringify({ level, message, ...base, ...data, time: new Date().toISOString() }));
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A logger that drops everything. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

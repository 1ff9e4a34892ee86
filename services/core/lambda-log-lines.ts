/**
 * What Lambda's own log lines and stream names say: the request id of its START, END and REPORT
 * lines (and of the Node.js runtime's `timestamp<TAB>requestId<TAB>LEVEL<TAB>message` lines), and
 * the version in a stream's name, `YYYY/MM/DD/[<version>]<hex>`.
 */

const PLATFORM_LINE = /^(?:START|END|REPORT) RequestId: ([0-9A-Za-z-]+)/;
const RUNTIME_LINE =
  /^\d{4}-\d{2}-\d{2}T[0-9:.]+Z\t([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\t/;
const STREAM_NAME = /^(\d{4})\/(\d{2})\/(\d{2})\/\[([^\]]+)\]/;

/** The request id a line names, or undefined when it names none. */
export function requestIdOf(message: string): string | undefined {
  return PLATFORM_LINE.exec(message)?.[1] ?? RUNTIME_LINE.exec(message)?.[1];
}

/** True for the line that ends an invocation's output (its END line). */
export const isEndLine = (message: string): boolean => message.startsWith('END RequestId: ');

/** The version and the day (UTC, `YYYY/MM/DD`) of a Lambda log stream, or null for another name. */
export function parseStreamName(name: string): { version: string; day: string } | null {
  const match = STREAM_NAME.exec(name);
  if (!match) return null;
  return { version: match[4] ?? '', day: `${match[1]}/${match[2]}/${match[3]}` };
}

/** The `YYYY/MM/DD` day (UTC) stream names start with. */
export const streamDay = (at: Date): string => at.toISOString().slice(0, 10).replaceAll('-', '/');

/**
 * The local function host's logs, the local FunctionLogs: each invocation's full log (init
 * output, START, the handler's output, END, REPORT), one JSON line per log line, appended to
 * `<dir>/<function>.jsonl`. Bounded: when a function's file would pass `maxFileBytes` it
 * becomes `<function>.1.jsonl` (replacing the older one) and a new file starts, so a function
 * keeps at most about twice `maxFileBytes` (1 MiB by default), its newest lines. Written
 * synchronously, so a line is readable as soon as its invocation has answered, and on disk, so
 * logs survive restarts. Only Ferry's owner may read them: the directory is 0700, files 0600.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidRequestError } from '../../services/core/errors.ts';
import { type NumberedLogEvent, pageOf } from '../../services/core/log-page.ts';
import type {
  FunctionLogEvent,
  FunctionLogPage,
  FunctionLogQuery,
  FunctionLogs,
} from '../../services/core/ports.ts';

/** One invocation's log as the host built it. */
export interface InvocationLog {
  readonly functionName: string;
  readonly version: string;
  readonly requestId: string;
  /** Init output (cold starts), START, the handler's output, END, REPORT; lines end with `\n`. */
  readonly log: string;
  /** Epoch milliseconds. */
  readonly at: number;
}

/** One stored line: sequence number, time, version, request id, message. */
interface Row {
  readonly s: number;
  readonly t: number;
  readonly v: string;
  readonly r?: string;
  readonly m: string;
}

/** Half of a function's bound: the current file rotates when it would pass this. */
export const DEFAULT_MAX_FILE_BYTES = 512 * 1024;
/** Longer lines are cut (CloudWatch cuts events at 256 KB; locally the bound is smaller). */
const MAX_LINE_CHARS = 16 * 1024;
const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** FunctionLogs over the files (see module doc). */
export class FunctionLogStore implements FunctionLogs {
  private readonly lastSeq = new Map<string, number>();

  constructor(
    private readonly dir: string,
    private readonly maxFileBytes = DEFAULT_MAX_FILE_BYTES,
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** Appends an invocation's lines; lines before its START line are init output (no request id). */
  append(entry: InvocationLog): void {
    const files = this.files(entry.functionName);
    let seq = this.lastSeq.get(entry.functionName) ?? resume(files);
    let requestId: string | undefined;
    const text = entry.log
      .split('\n')
      .filter((line, i, all) => line !== '' || i < all.length - 1)
      .map((line) => {
        if (line.startsWith(`START RequestId: ${entry.requestId}`)) requestId = entry.requestId;
        const row: Row = {
          s: ++seq,
          t: entry.at,
          v: entry.version,
          ...(requestId ? { r: requestId } : {}),
          m: line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)} [cut]` : line,
        };
        return `${JSON.stringify(row)}\n`;
      })
      .join('');
    if (text === '') return;
    const size = existsSync(files.current) ? statSync(files.current).size : 0;
    if (size > 0 && size + Buffer.byteLength(text) > this.maxFileBytes)
      renameSync(files.current, files.rotated);
    appendFileSync(files.current, text, { mode: 0o600 });
    this.lastSeq.set(entry.functionName, seq);
  }

  async read(functionName: string, query: FunctionLogQuery): Promise<FunctionLogPage> {
    const files = this.files(functionName);
    const rows = [...rowsOf(files.rotated), ...rowsOf(files.current)];
    const events: NumberedLogEvent[] = rows
      .filter((row) => query.version === undefined || row.v === query.version)
      .map((row) => ({ seq: row.s, at: row.t, event: eventOf(row) }));
    return pageOf(events, query, newestOf(rows));
  }

  private files(functionName: string): { current: string; rotated: string } {
    if (!NAME.test(functionName))
      throw new InvalidRequestError(`not a function name: ${JSON.stringify(functionName)}`);
    return {
      current: join(this.dir, `${functionName}.jsonl`),
      rotated: join(this.dir, `${functionName}.1.jsonl`),
    };
  }
}

function eventOf(row: Row): FunctionLogEvent {
  return {
    timestamp: new Date(row.t).toISOString(),
    version: row.v,
    ...(row.r ? { requestId: row.r } : {}),
    message: row.m,
  };
}

/** The rows of a file; a torn last line (a crash mid-write) and foreign lines are skipped. */
function rowsOf(file: string): Row[] {
  if (!existsSync(file)) return [];
  const rows: Row[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      const row: unknown = JSON.parse(line);
      if (isRow(row)) rows.push(row);
    } catch {}
  }
  return rows;
}

function isRow(value: unknown): value is Row {
  if (typeof value !== 'object' || value === null) return false;
  const row = value as Record<string, unknown>;
  return (
    typeof row.s === 'number' &&
    typeof row.t === 'number' &&
    typeof row.v === 'string' &&
    typeof row.m === 'string' &&
    (row.r === undefined || typeof row.r === 'string')
  );
}

/**
 * The last sequence number written, read back from the files after a restart; a torn last line
 * is ended first, so the next line does not run into it.
 */
function resume(files: { current: string; rotated: string }): number {
  const text = existsSync(files.current) ? readFileSync(files.current, 'utf8') : '';
  if (text !== '' && !text.endsWith('\n')) appendFileSync(files.current, '\n');
  return newestOf([...rowsOf(files.rotated), ...rowsOf(files.current)]);
}

/** The highest line number of the rows (0 for none). */
const newestOf = (rows: readonly Row[]) => rows.reduce((max, row) => Math.max(max, row.s), 0);

/**
 * An instance's output, kept just long enough to cut out one invocation's logs (bounded, so a
 * chatty function cannot grow the host), plus Lambda's 4 KB `LogType: Tail` cut.
 */

/** Lambda returns the last 4 KB of an invocation's log with `LogType: Tail`. */
export const LOG_TAIL_BYTES = 4096;

/** Retains the newest `limit` characters of output, addressed by absolute offsets. */
export class LogBuffer {
  private text = '';
  /** Absolute offset of `text[0]`. */
  private start = 0;
  private partial = '';

  constructor(
    private readonly limit = 64 * 1024,
    private readonly onLine?: (line: string) => void,
  ) {}

  /** The absolute offset the next output will get. */
  get mark(): number {
    return this.start + this.text.length;
  }

  /** Appends output; complete lines also go to `onLine`. */
  append(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.limit) {
      const drop = this.text.length - this.limit;
      this.text = this.text.slice(drop);
      this.start += drop;
    }
    if (!this.onLine) return;
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.onLine(line);
  }

  /** Output from `from` up to `to` (default: now), as far as it is still retained. */
  between(from: number, to = this.mark): string {
    return this.text.slice(Math.max(0, from - this.start), Math.max(0, to - this.start));
  }
}

/** The last 4 KB of `log` (UTF-8 bytes), starting at a line boundary when one is in reach. */
export function tail(log: string): string {
  const bytes = Buffer.from(log, 'utf8');
  if (bytes.length <= LOG_TAIL_BYTES) return log;
  const cut = bytes.subarray(bytes.length - LOG_TAIL_BYTES).toString('utf8');
  const newline = cut.indexOf('\n');
  return newline >= 0 && newline < cut.length - 1 ? cut.slice(newline + 1) : cut;
}

import { vi } from 'vitest';

/** What a Lambda process wrote to stdout and stderr (both reach CloudWatch Logs), as lines. */
export interface CapturedOutput {
  /** Every line written so far. */
  lines(): string[];
  /** The lines that are JSON objects, parsed. */
  records(): Record<string, unknown>[];
  /** Stops capturing. */
  restore(): void;
}

/** Captures what is written to process.stdout and process.stderr (Powertools writes there). */
export function captureOutput(): CapturedOutput {
  let text = '';
  const spies = [process.stdout, process.stderr].map((stream) =>
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    }),
  );
  const lines = () => text.split('\n').filter((line) => line.length > 0);
  return {
    lines,
    records: () =>
      lines().flatMap((line) => {
        try {
          const value: unknown = JSON.parse(line);
          return typeof value === 'object' && value !== null && !Array.isArray(value)
            ? [value as Record<string, unknown>]
            : [];
        } catch {
          return [];
        }
      }),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

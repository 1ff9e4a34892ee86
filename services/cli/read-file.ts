/** Reads what the user gave (a file, stdin); a UsageError says why it could not be read and what to give. */
import { readFileSync } from 'node:fs';
import { UsageError } from './commands.ts';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
};

/** The text of `path`, given as `flag` (e.g. `--file`). */
export function readUserFile(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new UsageError(
      `cannot read ${flag} ${path} (${REASONS[code] ?? code}): give the path of a readable file`,
    );
  }
}

/** Standard input's text; a UsageError when it is a terminal (nothing piped in) or unreadable. */
export function readPipedStdin(): string {
  if (process.stdin.isTTY)
    throw new UsageError(
      'nothing piped in: give --file settings.json, or pipe the settings in (< settings.json)',
    );
  try {
    return readFileSync(0, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new UsageError(`cannot read stdin (${code}): give --file settings.json instead`);
  }
}

/** Reads a file the user named; a UsageError that says why it could not be read and what to give. */
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

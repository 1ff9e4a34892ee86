/**
 * `--source`: a URL (`https://`, `file://`, `s3://`… passed on as given) or a directory on this
 * machine, relative or absolute, sent as its `file://` URL (local mode builds those).
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type CommandOptions, UsageError } from './commands.ts';

// A scheme followed by `//`: what a source URL looks like; anything else is read as a path.
const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** The source URL to send for `--source value`; a UsageError when a path is not a directory. */
export function sourceUrl(value: string, cwd = process.cwd()): string {
  if (URL_LIKE.test(value)) return value;
  const path = resolve(cwd, value);
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info?.isDirectory()) {
    throw new UsageError(
      `--source ${value}: ${info ? 'not a directory' : 'no such directory'} (${path}); give a directory with a Dockerfile, or a https://, file:// or s3:// URL`,
    );
  }
  return pathToFileURL(path).href;
}

/** The `--build-arg NAME=VALUE` flags as an object (empty when none). */
export function buildArgsOf(o: CommandOptions): Record<string, string> {
  return Object.fromEntries(
    ((o.values['build-arg'] as string[] | undefined) ?? []).map((pair) => {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--build-arg ${pair}: expected NAME=VALUE`);
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
}

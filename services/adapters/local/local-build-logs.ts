/**
 * The BuildLogs port in local mode: the builder's log file, `<dir>/<uuid>.log` for build
 * `<project>:<uuid>`. Only whole lines are read (the builder may be writing the last one), and a
 * cursor counts the lines read so far. Log files are the owner's only (0600); they are read, never
 * changed, here.
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidRequestError } from '../../core/errors.ts';
import type { BuildLogPage, BuildLogQuery, BuildLogs } from '../../core/ports.ts';

const BUILD_ID =
  /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const CURSOR = /^[0-9]{1,12}$/;

/** BuildLogs over local mode's build log directory (see module doc). */
export class LocalBuildLogs implements BuildLogs {
  constructor(private readonly dir: string) {}

  async read(buildId: string, query: BuildLogQuery): Promise<BuildLogPage | null> {
    const uuid = BUILD_ID.exec(buildId)?.[1];
    // Not one of this builder's ids (it names files, so nothing else may reach the disk).
    if (!uuid) return null;
    const cursor = 'cursor' in query ? query.cursor : undefined;
    if (cursor !== undefined && !CURSOR.test(cursor)) {
      throw new InvalidRequestError(`cursor is not one this server returned: '${cursor}'`, {
        kind: 'invalid-cursor',
        field: 'cursor',
      });
    }
    const file = join(this.dir, `${uuid}.log`);
    const text = await readText(file);
    if (text === null) return null;
    const whole = text.slice(0, text.lastIndexOf('\n') + 1);
    const lines = whole === '' ? [] : whole.slice(0, -1).split('\n');
    const link = pathToFileURL(file).href;
    if ('tail' in query) {
      return { lines: lines.slice(-query.tail), cursor: String(lines.length), link };
    }
    const from = Math.min(Number(cursor ?? 0), lines.length);
    const page = lines.slice(from, from + query.limit);
    return { lines: page, cursor: String(from + page.length), link };
  }
}

/** The file's text, or null when it does not exist. */
async function readText(file: string): Promise<string | null> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (!handle) return null;
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

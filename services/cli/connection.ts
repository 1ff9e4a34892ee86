/**
 * Where the CLI sends its requests and with which token: FERRY_URL and FERRY_TOKEN when set (the
 * environment always wins), else what a running local Ferry wrote to `$FERRY_HOME/cli.json`
 * (FERRY_HOME default `.ferry`, as `npm start` uses it), else local mode's default URL.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the URL came from, for the hint after a failure. */
export type ConnectionSource = 'env' | 'cli.json' | 'default';

/** The environment the commands see, with FERRY_URL/FERRY_TOKEN filled in from cli.json. */
export interface Connection {
  readonly env: Record<string, string | undefined>;
  readonly source: ConnectionSource;
  /** The cli.json path looked at. */
  readonly file: string;
}

/** The default API URL of local mode (`npm start`'s FERRY_PORT 8787). */
export const DEFAULT_API_URL = 'http://127.0.0.1:8787';

/** cli.json's URL and token, or undefined when the file is missing or not one. */
export function readCliJson(file: string): { url: string; token?: string } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as { url?: unknown; token?: unknown };
    if (typeof value.url !== 'string') return undefined;
    return { url: value.url, ...(typeof value.token === 'string' ? { token: value.token } : {}) };
  } catch {
    return undefined;
  }
}

function sameOrigin(a: string, b: string): boolean {
  return URL.canParse(a) && URL.canParse(b) && new URL(a).origin === new URL(b).origin;
}

/**
 * Resolves the connection. cli.json's token goes only to cli.json's URL: with FERRY_URL set to
 * another address, it is never sent there.
 */
export function resolveConnection(env: Record<string, string | undefined>): Connection {
  const file = join(env.FERRY_HOME ?? '.ferry', 'cli.json');
  const local = readCliJson(file);
  if (env.FERRY_URL) {
    // FERRY_URL naming the running local Ferry itself may still take its token.
    const same = !env.FERRY_TOKEN && local?.token && sameOrigin(env.FERRY_URL, local.url);
    return { env: same ? { ...env, FERRY_TOKEN: local.token } : env, source: 'env', file };
  }
  if (!local) return { env, source: env.FERRY_TOKEN ? 'env' : 'default', file };
  return {
    env: { ...env, FERRY_URL: local.url, FERRY_TOKEN: env.FERRY_TOKEN ?? local.token },
    source: 'cli.json',
    file,
  };
}

/** What to add to an unreachable or 401 line, given where the URL and token came from. */
export function connectionHint(connection: Connection, status: number): string {
  if (status !== 0 && status !== 401) return '';
  if (connection.source === 'default')
    return ` (no ${connection.file}: start local Ferry with npm start, or set FERRY_URL and FERRY_TOKEN)`;
  if (connection.source === 'cli.json')
    return status === 0
      ? ` (the address in ${connection.file}: is npm start still running with this FERRY_HOME?)`
      : ` (the token in ${connection.file} was refused: restart npm start to write a working one)`;
  return '';
}

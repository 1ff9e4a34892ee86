/** Where the CLI connects: the environment first, then `$FERRY_HOME/cli.json`, else a line saying what to do. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './main.ts';

/** A stand-in API that records each request's path and headers. */
async function recordingApi() {
  const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  const server: Server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ items: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise((r) => server.close(r)) };
}

async function ferry(env: Record<string, string>, fetchImpl?: typeof fetch) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['functions'], {
    stdout: { write: (t: string) => void out.push(t), isTTY: false },
    stderr: { write: (t: string) => void err.push(t) },
    env,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  return { code, out: out.join(''), err: err.join('') };
}

const refused = (async () => {
  throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:8787') });
}) as typeof fetch;

let local: Awaited<ReturnType<typeof recordingApi>>;
let other: Awaited<ReturnType<typeof recordingApi>>;
let home: string;
const TOKEN = 'ferry_from_cli_json_0123456789';
beforeAll(async () => {
  local = await recordingApi();
  other = await recordingApi();
  home = mkdtempSync(join(tmpdir(), 'ferry-connection-'));
  writeFileSync(join(home, 'cli.json'), JSON.stringify({ url: local.url, token: TOKEN }));
});
afterAll(async () => {
  await local.close();
  await other.close();
  rmSync(home, { recursive: true, force: true });
});

describe('CLI: connection', () => {
  it('uses the URL and token in $FERRY_HOME/cli.json when FERRY_URL and FERRY_TOKEN are not set', async () => {
    const { code, err } = await ferry({ FERRY_HOME: home });
    expect(code, err).toBe(0);
    expect(local.seen.at(-1)?.url).toBe('/v1/functions');
    expect(local.seen.at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('lets FERRY_URL and FERRY_TOKEN win over cli.json', async () => {
    const before = local.seen.length;
    const { code } = await ferry({
      FERRY_HOME: home,
      FERRY_URL: other.url,
      FERRY_TOKEN: 'ferry_from_env_0123456789',
    });
    expect(code).toBe(0);
    expect(other.seen.at(-1)?.headers.authorization).toBe('Bearer ferry_from_env_0123456789');
    expect(local.seen.length).toBe(before);
  });

  it("never sends cli.json's token to another FERRY_URL", async () => {
    await ferry({ FERRY_HOME: home, FERRY_URL: other.url });
    expect(other.seen.at(-1)?.headers.authorization).toBeUndefined();
  });

  it("takes cli.json's token for a FERRY_URL naming that same Ferry", async () => {
    await ferry({ FERRY_HOME: home, FERRY_URL: `${local.url}/` });
    expect(local.seen.at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('says to start local Ferry or set both variables when there is no cli.json and no FERRY_URL', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ferry-connection-none-'));
    try {
      const { code, err } = await ferry({ FERRY_HOME: empty }, refused);
      expect(code).toBe(1);
      expect(err).toBe(
        `ferry: unreachable: cannot reach http://127.0.0.1:8787 (connect ECONNREFUSED 127.0.0.1:8787): check FERRY_URL and that the API is running (no ${join(empty, 'cli.json')}: start local Ferry with npm start, or set FERRY_URL and FERRY_TOKEN)\n`,
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('says which file named an address that no longer answers', async () => {
    const stale = mkdtempSync(join(tmpdir(), 'ferry-connection-stale-'));
    try {
      mkdirSync(join(stale, 'nested'));
      const file = join(stale, 'nested', 'cli.json');
      writeFileSync(file, JSON.stringify({ url: 'http://127.0.0.1:9', token: TOKEN }));
      const { code, err } = await ferry({ FERRY_HOME: join(stale, 'nested') }, refused);
      expect(code).toBe(1);
      expect(err).toContain(`(the address in ${file}: is npm start still running`);
    } finally {
      rmSync(stale, { recursive: true, force: true });
    }
  });
});

/** `ferry logs` against a scripted API: the lines it prints, the queries it sends, --follow, bad flags. */
import { describe, expect, it } from 'vitest';
import { aDeployment } from '../../test/fakes/deployments.ts';
import type { FunctionLogEvent } from '../core/ports.ts';
import { runCli } from './main.ts';

const event = (message: string, over: Partial<FunctionLogEvent> = {}): FunctionLogEvent => ({
  timestamp: '2026-12-01T12:00:00.000Z',
  version: '7',
  message,
  ...over,
});

/** The CLI against pages answered in turn (then empty ones); stopped once `polls` requests went out. */
async function ferry(argv: string[], pages: Array<{ events: FunctionLogEvent[] }>, polls = 2) {
  const out: string[] = [];
  const err: string[] = [];
  const sent: URL[] = [];
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const fetch = (async (url: URL) => {
    sent.push(url);
    if (sent.length > polls) stop();
    const page = pages[sent.length - 1] ?? { events: [] };
    const body = { ...page, cursor: `c${sent.length}` };
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  const code = await runCli(argv, {
    stdout: { write: (t) => void out.push(t), isTTY: false },
    stderr: { write: (t) => void err.push(t) },
    env: { FERRY_URL: 'http://127.0.0.1:8787', FERRY_TOKEN: 't' },
    fetch,
    sleep: async () => {},
    pollMs: 0,
    now: () => new Date('2026-12-01T12:05:00.000Z'),
    untilStopped: () => stopped,
  });
  return { code, out: out.join(''), err: err.join(''), sent };
}

describe('CLI: ferry logs', () => {
  it('prints each line as `timestamp [version] message` and asks for what the flags say', async () => {
    const { code, out, sent } = await ferry(
      ['logs', 'orders', '--version', '7', '--since', '10m', '--limit', '50'],
      [{ events: [event('START RequestId: r1 Version: 7'), event('hello', { requestId: 'r1' })] }],
    );
    expect(code).toBe(0);
    expect(out).toBe(
      '2026-12-01T12:00:00.000Z [7] START RequestId: r1 Version: 7\n2026-12-01T12:00:00.000Z [7] hello\n',
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]?.pathname).toBe('/v1/functions/orders/logs');
    expect(Object.fromEntries(sent[0]?.searchParams ?? [])).toEqual({
      version: '7',
      since: '10m',
      limit: '50',
    });
  });

  it("reads a deployment's function from its start, of the version it released", async () => {
    const id = 'd-01JDX3Q4ZJ8M2V7N5K1R9T6W3A';
    const out: string[] = [];
    const sent: URL[] = [];
    const fetch = (async (url: URL) => {
      sent.push(url);
      const body = url.pathname.startsWith('/v1/deployments/')
        ? aDeployment({
            id,
            functionName: 'orders',
            createdAt: '2026-12-01T11:00:00.000Z',
            release: { version: '8', digest: null, imageUri: null },
          })
        : { events: [event('smoke output', { version: '8' })], cursor: 'c' };
      return new Response(JSON.stringify(body), {
        headers: { 'content-type': 'application/json' },
      });
    }) as typeof globalThis.fetch;
    const code = await runCli(['logs', id], {
      stdout: { write: (t) => void out.push(t), isTTY: false },
      stderr: { write: () => {} },
      env: { FERRY_URL: 'http://127.0.0.1:8787', FERRY_TOKEN: 't' },
      fetch,
    });
    expect(code).toBe(0);
    expect(out.join('')).toBe('2026-12-01T12:00:00.000Z [8] smoke output\n');
    expect(sent.map((u) => `${u.pathname}?${u.searchParams}`)).toEqual([
      `/v1/deployments/${id}?`,
      `/v1/functions/orders/logs?since=${encodeURIComponent('2026-12-01T11:00:00.000Z')}&version=8`,
    ]);
  });

  it('prints JSON lines with --json', async () => {
    const { out } = await ferry(['logs', 'orders', '--json'], [{ events: [event('a')] }]);
    expect(JSON.parse(out)).toEqual(event('a'));
  });

  it('follows with the cursor of each page until stopped, printing each line once', async () => {
    const { code, out, sent } = await ferry(
      ['logs', 'orders', '--follow', '--since', '1h', '--version', '$LATEST'],
      [{ events: [event('first')] }, { events: [] }, { events: [event('second')] }],
      3,
    );
    expect(code).toBe(0);
    expect(out.split('\n').filter(Boolean)).toEqual([
      '2026-12-01T12:00:00.000Z [7] first',
      '2026-12-01T12:00:00.000Z [7] second',
    ]);
    const queries = sent.map((url) => Object.fromEntries(url.searchParams));
    expect(queries[0]).toEqual({ version: '$LATEST', since: '1h' });
    // Each poll continues from the page before it; `since` no longer applies.
    expect(queries.slice(1, 3)).toEqual([
      { version: '$LATEST', cursor: 'c1' },
      { version: '$LATEST', cursor: 'c2' },
    ]);
  });

  it.each([
    [['logs'], 'ferry: missing function name: ferry logs <function|deployment>'],
    [['logs', 'orders', '--since', 'yesterday'], 'ferry: --since yesterday: expected a duration'],
    [['logs', 'orders', '--limit', '0'], 'ferry: --limit 0: expected a number from 1 to 1000'],
    [['logs', 'orders', '--version', 'v7'], 'ferry: --version v7: expected a version number'],
    [['logs', 'orders', '--folow'], 'ferry: unknown option --folow: did you mean --follow?'],
  ])('refuses %j with one ferry: line and sends nothing', async (argv, line) => {
    const { code, err, sent } = await ferry(argv, []);
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toContain(line);
    expect(sent).toEqual([]);
  });

  it('is listed in the usage text', async () => {
    const { out } = await ferry(['--help'], []);
    expect(out).toContain(
      'logs <function|deployment> [--version N] [--since 10m|ISO] [--limit N] [--follow]',
    );
  });
});

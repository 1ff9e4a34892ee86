/**
 * The error corpus: the real `ferry` bin (the bundle `npm run build:cli` writes) as a child
 * process against the real API, a stand-in server on 127.0.0.1 and a closed port. Every mistake
 * and failure is exactly one `ferry: <what happened>: <what to do>` line on stderr, never a
 * stack frame, and its documented exit code; with --debug the trace still follows.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliBundle } from '../../scripts/cli-bundle.ts';
import { EXIT } from '../../services/cli/exit-codes.ts';
import { aDeployment } from '../fakes/deployments.ts';
import { startLocalStack } from '../support/local-stack.ts';
import { FN } from '../workflow/world.ts';

const BIN = fileURLToPath(new URL('../../bin/ferry.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ferry-corpus-'));
const STACK_FRAME = /^\s+at /m;
/** What happened, then what to do: at least two parts after `ferry:`, each saying something. */
const SHAPE = /^ferry: \S.*: \S.*$/;

/** A history far larger than a pipe's buffer, so the bin is still writing when head exits. */
const BIG_HISTORY = JSON.stringify({
  items: Array.from({ length: 3000 }, (_, i) =>
    aDeployment({ id: `d-${String(i).padStart(26, '0')}`, status: 'SUCCEEDED' }),
  ),
});

let stack: Awaited<ReturnType<typeof startLocalStack>>;
let standIn: Server;
let standInUrl: string;
let closedUrl: string;
let otherTeamToken: string;

/** Runs the bin to its end; `pipeToHead` sends its output through `head -1`, which exits early. */
async function ferry(
  argv: readonly string[],
  env: Record<string, string>,
  pipeToHead = false,
): Promise<{ code: number | null; out: string; err: string }> {
  const head = pipeToHead ? spawn('head', ['-1'], { stdio: ['pipe', 'pipe', 'ignore'] }) : null;
  const child = spawn(process.execPath, [BIN, ...argv], {
    env: { PATH: process.env.PATH ?? '', FERRY_HOME: dir, ...env },
    stdio: ['ignore', head ? head.stdin : 'pipe', 'pipe'],
  });
  // Only the child writes into head: its end of the pipe closes when the child's does.
  head?.stdin.destroy();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  (head ?? child).stdout?.on('data', (b: Buffer) => out.push(b));
  child.stderr?.on('data', (b: Buffer) => err.push(b));
  const closed = head ? once(head, 'close') : Promise.resolve();
  const [code] = (await once(child, 'close')) as [number | null];
  await closed;
  return { code, out: Buffer.concat(out).toString(), err: Buffer.concat(err).toString() };
}

beforeAll(async () => {
  await buildCliBundle();
  stack = await startLocalStack();
  // What a gateway or a proxy in front of the API answers: never a problem document.
  standIn = createServer((req, res) => {
    if (req.url === '/v1/deployments/d-500')
      res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
    else if (req.url === '/v1/deployments/d-500-problem')
      res.writeHead(500, { 'content-type': 'application/problem+json' }).end(
        JSON.stringify({
          type: 'urn:ferry:problem:internal',
          title: 'Internal error',
          status: 500,
          detail: 'an internal error occurred; it has been logged',
        }),
      );
    else if (req.url === '/v1/deployments/d-502')
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');
    else if (req.url === '/v1/deployments/d-503-json')
      res
        .writeHead(503, { 'content-type': 'application/json' })
        .end('{"message":"Service Unavailable"}');
    else if (req.url === '/v1/functions/big/deployments')
      res.writeHead(200, { 'content-type': 'application/json' }).end(BIG_HISTORY);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<html>a web page</html>');
  });
  standIn.listen(0, '127.0.0.1');
  await once(standIn, 'listening');
  standInUrl = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
  const closed = createServer().listen(0, '127.0.0.1');
  await once(closed, 'listening');
  closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  closed.close();
  writeFileSync(join(dir, 'not-json.json'), '{ team: payments');
  writeFileSync(join(dir, 'extra-key.json'), JSON.stringify({ team: 'payments', sizeBudget: 1 }));
  // A token of another team, made the way an operator makes one.
  const made = await ferry(['tokens', 'create', '--team', 'search'], admin());
  otherTeamToken = made.out.split('\n')[0] as string;
}, 60_000);
afterAll(async () => {
  standIn?.close();
  await stack?.close();
});

const api = () => ({ FERRY_URL: stack.url, FERRY_TOKEN: stack.token });
const admin = () => ({ FERRY_URL: stack.url, FERRY_TOKEN: stack.adminToken });

/** name, argv, environment, exit code, the one line. */
const CORPUS: ReadonlyArray<
  readonly [string, readonly string[], () => Record<string, string>, number, RegExp]
> = [
  [
    'a FERRY_URL without a scheme',
    ['history', FN],
    () => ({ FERRY_URL: '127.0.0.1:8787' }),
    EXIT.usage,
    /^ferry: FERRY_URL "127\.0\.0\.1:8787" is not an http\(s\) URL: did you mean http:\/\/127\.0\.0\.1:8787\?/,
  ],
  [
    'an unreachable API',
    ['history', FN],
    () => ({ FERRY_URL: closedUrl }),
    EXIT.failed,
    /^ferry: unreachable: cannot reach http:\/\/127\.0\.0\.1:\d+ \(.*ECONNREFUSED.*\): check FERRY_URL and that the API is running$/,
  ],
  [
    'a missing --file',
    ['functions', 'put', FN, '--file', join(dir, 'nope.json')],
    admin,
    EXIT.usage,
    /^ferry: cannot read --file .*nope\.json \(no such file\): give the path of a readable file$/,
  ],
  [
    'a --file that is not JSON',
    ['functions', 'put', FN, '--file', join(dir, 'not-json.json')],
    admin,
    EXIT.usage,
    /^ferry: settings .*not-json\.json are not JSON \(.+\): fix the file, or start from ferry functions get /,
  ],
  [
    'settings with an unknown key',
    ['functions', 'put', FN, '--file', join(dir, 'extra-key.json')],
    admin,
    EXIT.failed,
    /^ferry: 400 validation: the request body is invalid: \(root\): Unrecognized key: "sizeBudget": fix the settings \(docs\/settings-and-gates\.md lists the keys/,
  ],
  [
    'an unknown function',
    ['history', `${FN}x`],
    api,
    EXIT.failed,
    new RegExp(
      `^ferry: 404 function-not-registered: function ${FN}x is not registered with Ferry: did you mean ${FN}\\? \\(ferry functions lists`,
    ),
  ],
  [
    'an unknown deployment',
    ['status', 'd-01JDEMO0000000000000000000'],
    api,
    EXIT.failed,
    /^ferry: 404 not-found: .*d-01JDEMO0000000000000000000.*: ferry history <function> lists the deployment ids$/,
  ],
  [
    'a refused token',
    ['history', FN],
    () => ({ ...api(), FERRY_TOKEN: 'ferry_notavalidtokenatall' }),
    EXIT.failed,
    /^ferry: 401 unauthenticated: .* \(FERRY_TOKEN was refused: use the token `npm start` printed\)$/,
  ],
  [
    "another team's function",
    ['history', FN],
    () => ({ ...api(), FERRY_TOKEN: otherTeamToken }),
    EXIT.failed,
    /^ferry: 403 forbidden: function \S+ belongs to team payments; token:search:\w+ acts for team search: use a token of the owning team, or ask the admin team/,
  ],
  [
    'an admin-only command',
    ['tokens', 'list'],
    api,
    EXIT.failed,
    /^ferry: 403 forbidden: listing tokens is for the admin team; .*: use a token of the owning team, or ask the admin team/,
  ],
  [
    'a 500 with a plain-text body',
    ['status', 'd-500'],
    () => ({ FERRY_URL: standInUrl }),
    EXIT.failed,
    /^ferry: 500: http:\/\/127\.0\.0\.1:\d+ answered without a problem document \(Internal Server Error\): retry shortly; if it persists, check/,
  ],
  [
    "the API's own 500 problem",
    ['status', 'd-500-problem'],
    () => ({ FERRY_URL: standInUrl }),
    EXIT.failed,
    /^ferry: 500 internal: an internal error occurred; it has been logged: retry; if it persists, the API log has the error at this time$/,
  ],
  [
    'a gateway 502 in HTML',
    ['status', 'd-502'],
    () => ({ FERRY_URL: standInUrl }),
    EXIT.failed,
    /^ferry: 502: .* answered without a problem document \(<html>Bad Gateway<\/html>\): retry shortly/,
  ],
  [
    "a gateway's own JSON error",
    ['status', 'd-503-json'],
    () => ({ FERRY_URL: standInUrl }),
    EXIT.failed,
    /^ferry: 503: .* answered without a problem document \(\{"message":"Service Unavailable"\}\): retry shortly/,
  ],
  [
    'a 200 that is not JSON',
    ['history', FN],
    () => ({ FERRY_URL: standInUrl }),
    EXIT.failed,
    /^ferry: not-ferry: http:\/\/127\.0\.0\.1:\d+ answered 200 with a body that is not JSON \(<html>a web page<\/html>\): check that FERRY_URL is the Ferry API$/,
  ],
  [
    'an unknown command',
    ['deplyo', FN],
    api,
    EXIT.usage,
    /^ferry: unknown command deplyo: did you mean deploy\?$/,
  ],
  [
    'a command nothing is near',
    ['frobnicate'],
    api,
    EXIT.usage,
    /^ferry: unknown command frobnicate: .*--help/,
  ],
  [
    'a misspelt flag',
    ['history', FN, '--limt', '5'],
    api,
    EXIT.usage,
    /^ferry: unknown option --limt: did you mean --limit\?$/,
  ],
];

describe('CLI: the error corpus through the ferry bin', () => {
  it.each(CORPUS)(
    'answers %s with one ferry: line and its exit code',
    async (_, argv, env, code, line) => {
      const run = await ferry(argv, env());
      expect(run.err.trimEnd().split('\n')).toHaveLength(1);
      expect(run.err.trimEnd()).toMatch(SHAPE);
      expect(run.err.trimEnd()).toMatch(line);
      expect(run.err).not.toMatch(STACK_FRAME);
      expect(run.code).toBe(code);
    },
  );

  it('stops quietly, exit 141, when the reader of its output exits early (| head -1)', async () => {
    const run = await ferry(['history', 'big'], { FERRY_URL: standInUrl }, true);
    expect(run.out).toMatch(/^ID\s+STATUS\s+TRIGGER.*\n$/);
    expect(run.err).toBe('');
    expect(run.code).toBe(EXIT.closedPipe);
  });

  it('still prints the trace with --debug, after the one line', async () => {
    const run = await ferry(['history', FN, '--debug'], { FERRY_URL: closedUrl });
    expect(run.code).toBe(EXIT.failed);
    const [line, ...trace] = run.err.split('\n');
    expect(line).toMatch(SHAPE);
    expect(trace.join('\n')).toMatch(STACK_FRAME);
  });
});

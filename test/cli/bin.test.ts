/**
 * The real `ferry` bin (bin/ferry.js running the bundle `npm run build:cli` writes) as a child
 * process, fed the mistakes people make in their first hour: each is exactly one `ferry:` line on
 * stderr with its documented exit code, and never a stack trace.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliBundle } from '../../scripts/cli-bundle.ts';
import { EXIT } from '../../services/cli/exit-codes.ts';
import { startLocalStack } from '../support/local-stack.ts';
import { FN } from '../workflow/world.ts';

const BIN = fileURLToPath(new URL('../../bin/ferry.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ferry-bin-'));
const STACK_FRAME = /^ {4}at /m;

let stack: Awaited<ReturnType<typeof startLocalStack>>;
let odd: Server;
let oddUrl: string;
let closedUrl: string;
let signedWith: string | undefined;

beforeAll(async () => {
  await buildCliBundle();
  stack = await startLocalStack();
  // What the real API never answers: a gateway's HTML 502, and a 200 the CLI cannot read.
  odd = createServer((req, res) => {
    if (req.url === '/v1/functions/signed/deployments') {
      signedWith = req.headers.authorization;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}');
    } else if (req.url === '/v1/local') {
      const local = { registry: '127.0.0.1:1', functionHost: closedUrl };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(local));
    } else if (req.url?.startsWith('/v1/deployments/')) {
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');
    } else res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  odd.listen(0, '127.0.0.1');
  await once(odd, 'listening');
  oddUrl = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`;
  const closed = createServer().listen(0, '127.0.0.1');
  await once(closed, 'listening');
  closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  closed.close();
  writeFileSync(join(dir, 'not-json.json'), '{ team: payments');
  writeFileSync(join(dir, 'extra-key.json'), JSON.stringify({ team: 'payments', sizeBudget: 1 }));
  mkdirSync(join(dir, 'a-directory'));
}, 60_000);
afterAll(async () => {
  odd?.close();
  await stack?.close();
});

interface Run {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** Runs the bin; with `closeStdout` its output pipe is closed before it writes. */
async function ferry(
  argv: readonly string[],
  env: Record<string, string> = {},
  closeStdout = false,
): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...argv], {
    env: { PATH: process.env.PATH ?? '', FERRY_HOME: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  if (closeStdout) child.stdout.destroy();
  else child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, out: Buffer.concat(out).toString(), err: Buffer.concat(err).toString() };
}

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

const api = () => ({ FERRY_URL: stack.url, FERRY_TOKEN: stack.token });
const admin = () => ({ FERRY_URL: stack.url, FERRY_TOKEN: stack.adminToken });

/** name, argv (ODD_PORT: the odd server's port, known once it listens), environment, exit code, the one line. */
const CORPUS: ReadonlyArray<
  readonly [string, readonly string[], () => Record<string, string>, number, RegExp]
> = [
  [
    'a misspelt flag',
    ['status', 'd-x', '--wiat'],
    api,
    EXIT.usage,
    /^ferry: unknown option --wiat: did you mean --wait\?$/,
  ],
  [
    'a misspelt command',
    ['deplyo', FN],
    api,
    EXIT.usage,
    /^ferry: unknown command deplyo: did you mean deploy\?$/,
  ],
  [
    'a flag of another command',
    ['status', 'd-x', '--follow'],
    api,
    EXIT.usage,
    /^ferry: ferry status does not take --follow: see ferry status --help$/,
  ],
  [
    'a flag without its value',
    ['deploy', FN, '--image'],
    api,
    EXIT.usage,
    /^ferry: --image needs a value: --image REF/,
  ],
  [
    'a misspelt action',
    ['functions', 'lst'],
    api,
    EXIT.usage,
    /^ferry: unknown action "lst": did you mean list\? \(ferry functions \[list\] \| get\|put <name>\)$/,
  ],
  [
    'a missing argument',
    ['deploy'],
    api,
    EXIT.usage,
    /^ferry: missing function name: ferry deploy <function>/,
  ],
  [
    'a FERRY_URL without a scheme',
    ['status', 'd-x'],
    () => ({ FERRY_URL: '127.0.0.1:8787' }),
    EXIT.usage,
    /^ferry: FERRY_URL "127\.0\.0\.1:8787" is not an http\(s\) URL: did you mean http:\/\/127\.0\.0\.1:8787\? Otherwise set it to/,
  ],
  [
    'a FERRY_URL that is not a URL',
    ['doctor'],
    () => ({ FERRY_URL: 'ferry example' }),
    EXIT.usage,
    /^ferry: FERRY_URL "ferry example" is not an http\(s\) URL/,
  ],
  [
    'a missing --file',
    ['functions', 'put', FN, '--file', join(dir, 'nope.json')],
    admin,
    EXIT.usage,
    /^ferry: cannot read --file .*nope\.json \(no such file\): give the path of a readable file$/,
  ],
  [
    'a --file that is a directory',
    ['functions', 'put', FN, '--file', join(dir, 'a-directory')],
    admin,
    EXIT.usage,
    /^ferry: cannot read --file .*a-directory \(it is a directory\)/,
  ],
  [
    'a --file that is not JSON',
    ['functions', 'put', FN, '--file', join(dir, 'not-json.json')],
    admin,
    EXIT.usage,
    /^ferry: settings .*not-json\.json are not JSON \(.+\): fix the file/,
  ],
  [
    'settings the API refuses',
    ['functions', 'put', FN, '--file', join(dir, 'extra-key.json')],
    admin,
    EXIT.failed,
    /^ferry: 400 validation: .*Unrecognized key: "sizeBudget": fix the settings/,
  ],
  [
    'an unknown deployment (404)',
    ['status', 'd-01JDEMO0000000000000000000'],
    api,
    EXIT.failed,
    /^ferry: 404 not-found: /,
  ],
  [
    'a refused token (401)',
    ['history', FN],
    () => ({ ...api(), FERRY_TOKEN: 'ferry_notavalidtokenatall' }),
    EXIT.failed,
    /^ferry: 401 unauthenticated: .*FERRY_TOKEN was refused/,
  ],
  [
    'a gateway error (502)',
    ['status', 'd-x'],
    () => ({ FERRY_URL: oddUrl }),
    EXIT.failed,
    /^ferry: 502: http:\/\/127\.0\.0\.1:\d+ answered without a problem document \(<html>Bad Gateway<\/html>\): retry shortly/,
  ],
  [
    'an unreachable API',
    ['status', 'd-x'],
    () => ({ FERRY_URL: closedUrl }),
    EXIT.failed,
    /^ferry: unreachable: cannot reach http:\/\/127\.0\.0\.1:\d+ \(.*ECONNREFUSED.*\): check FERRY_URL/,
  ],
  [
    'an unreachable function host',
    ['local', 'invoke', 'hello'],
    () => ({ FERRY_URL: oddUrl }),
    EXIT.failed,
    /^ferry: unreachable: cannot reach the function host at http:\/\/127\.0\.0\.1:\d+ \(.*ECONNREFUSED.*\): check that local mode/,
  ],
  [
    'ferry web on a port in use',
    ['web', '--port', 'ODD_PORT'],
    () => ({
      FERRY_URL: 'https://abc123.execute-api.eu-west-1.amazonaws.com',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
    }),
    EXIT.usage,
    /^ferry: cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\): pick another --port/,
  ],
  [
    'SigV4 without AWS credentials',
    ['history', FN],
    () => ({
      FERRY_URL: oddUrl,
      FERRY_AUTH: 'sigv4',
      AWS_REGION: 'eu-west-1',
      HOME: dir,
      AWS_EC2_METADATA_DISABLED: 'true',
    }),
    EXIT.usage,
    /^ferry: no AWS credentials to sign with \(.*\): set AWS_PROFILE/,
  ],
  [
    'an answer the CLI cannot read',
    ['functions'],
    () => ({ FERRY_URL: oddUrl }),
    EXIT.internal,
    /^ferry: unexpected error \(TypeError: .*\): run it again with --debug for the stack trace$/,
  ],
];

describe('CLI: the ferry bin', () => {
  it.each(CORPUS)(
    'answers %s with one ferry: line and no stack trace',
    async (_, argv, env, code, line) => {
      const port = new URL(oddUrl).port;
      const run = await ferry(
        argv.map((a) => (a === 'ODD_PORT' ? port : a)),
        env(),
      );
      expect(run.err.split('\n').filter((l) => l.startsWith('ferry:'))).toHaveLength(1);
      expect(run.err.trimEnd().split('\n')).toHaveLength(1);
      expect(run.err.trimEnd()).toMatch(line);
      expect(run.err).not.toMatch(STACK_FRAME);
      expect(run.code).toBe(code);
    },
  );

  it('says a repeated validation message once', async () => {
    const run = await ferry(
      ['functions', 'put', FN, '--file', join(dir, 'extra-key.json')],
      admin(),
    );
    expect(run.err.split('Unrecognized key')).toHaveLength(2);
  });

  it('prints the stack trace of an unexpected error with --debug', async () => {
    const run = await ferry(['functions', '--debug'], { FERRY_URL: oddUrl });
    expect(run.code).toBe(EXIT.internal);
    expect(run.err).toMatch(/^ferry: unexpected error \(TypeError: .*\)\nTypeError: /);
    expect(run.err).toMatch(STACK_FRAME);
  });

  it("follows a problem with its causes' stack traces under --debug", async () => {
    const run = await ferry(['status', 'd-x', '--debug'], { FERRY_URL: closedUrl });
    expect(run.code).toBe(EXIT.failed);
    const [line, ...trace] = run.err.split('\n');
    expect(line).toMatch(/^ferry: unreachable: cannot reach /);
    expect(trace.join('\n')).toMatch(
      /^ProblemError: cannot reach [\s\S]*\ncaused by: TypeError: fetch failed[\s\S]*ECONNREFUSED/,
    );
    expect(run.err.split('\n').filter((l) => l.startsWith('ferry:'))).toHaveLength(1);
  });

  it('stops quietly when its output is closed early', async () => {
    const run = await ferry(['--help'], {}, true);
    expect(run.err).toBe('');
    expect(run.code).toBe(EXIT.closedPipe);
  });

  it("signs with SigV4 from the bundle's lazily loaded credential chain", async () => {
    const run = await ferry(['history', 'signed'], {
      FERRY_URL: oddUrl,
      FERRY_AUTH: 'sigv4',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
    });
    expect(run.err).toBe('');
    expect(run.out).toBe('no deployments of signed yet\n');
    expect(signedWith).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\//,
    );
  });

  it('runs from source, saying so in one line, when the bundle was never built', async () => {
    // A copy of the bin beside a checkout without dist/: its sources and node_modules linked in.
    const checkout = mkdtempSync(join(tmpdir(), 'ferry-unbuilt-'));
    mkdirSync(join(checkout, 'bin'));
    copyFileSync(BIN, join(checkout, 'bin', 'ferry.js'));
    for (const entry of ['bin/ferry.ts', 'services', 'package.json', 'node_modules'])
      symlinkSync(fileURLToPath(new URL(`../../${entry}`, import.meta.url)), join(checkout, entry));
    const child = spawn(process.execPath, [join(checkout, 'bin', 'ferry.js'), '--version'], {
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [out, err] = await Promise.all([text(child.stdout), text(child.stderr)]);
    expect(err).toBe(
      'ferry: dist/cli/ferry.mjs is missing, running from source (slower): run `npm run build:cli` in the Ferry checkout\n',
    );
    expect(out).toMatch(/^ferry \d+\.\d+\.\d+\n$/);
  });

  it('prints its version and per-command help', async () => {
    expect((await ferry(['--version'])).out).toMatch(/^ferry \d+\.\d+\.\d+\n$/);
    const help = await ferry(['logs', '--help']);
    expect(help.code).toBe(EXIT.ok);
    expect(help.out).toMatch(/^usage: ferry logs /);
    expect(help.out).toContain('--follow');
  });
});

/** `ferry doctor` against the real API app (dynalite store, faked target), and a FERRY_URL that is wrong. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, createApiWorld, IMAGE } from '../../test/api/api-world.ts';
import { FakeFunctions } from '../../test/fakes/fake-functions.ts';
import { FakeTargetReads } from '../../test/fakes/fake-target-reads.ts';
import { lambdaPullStatement } from '../core/pull-policy.ts';
import { runCli } from './main.ts';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:orders';
let w: ApiWorld;
let target: FakeTargetReads;

beforeAll(async () => {
  const functions = new FakeFunctions();
  functions.createFunction('orders', IMAGE);
  target = new FakeTargetReads();
  target.tags.set(ARN, { 'ferry:managed': 'true' });
  const statement = lambdaPullStatement('123456789012', 'us-east-1');
  target.policies.set('team/orders', JSON.stringify({ Statement: [statement] }));
  w = await createApiWorld({
    watchedRepositories: ['team/orders'],
    doctor: { functions, target, optIn: { tag: true, namePrefix: null } },
  });
});
afterAll(() => w.close());

/** The CLI with FERRY_URL `url`, its requests answered by the app (or by `fetch` when given). */
async function ferry(argv: string[], env: Record<string, string>, fetch?: typeof globalThis.fetch) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    stdout: { write: (t) => void out.push(t), isTTY: false },
    stderr: { write: (t) => void err.push(t) },
    env,
    fetch:
      fetch ??
      (((url: URL, init: RequestInit) => w.app.request(url.href, init)) as typeof globalThis.fetch),
  });
  return { code, out: out.join(''), err: err.join('') };
}

const as = (team: 'payments' | 'search') => ({
  FERRY_URL: 'http://127.0.0.1:8787',
  FERRY_TOKEN: w.token[team],
});

describe('ferry doctor', () => {
  it('prints one ✓ line per check and exits 0 when all pass', async () => {
    const { code, out } = await ferry(['doctor', 'orders'], as('payments'));
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('✓ api: the Ferry API answers at FERRY_URL');
    expect(lines[1]).toMatch(/^✓ identity: token:payments:\S+ acts for team payments$/);
    expect(lines.slice(2).map((l) => l.split(':')[0])).toEqual([
      '✓ slack',
      '✓ registered',
      '✓ exists',
      '✓ package-type',
      '✓ architecture',
      '✓ opt-in',
      '✓ alias',
      '✓ repository',
      '✓ lambda-pull',
    ]);
    expect(code).toBe(0);
  });

  it('prints ✗ what is wrong: how to fix it, and exits 1, when a check fails', async () => {
    target.tags.set(ARN, {});
    try {
      const { code, out } = await ferry(['doctor', 'orders'], as('payments'));
      expect(out).toContain(
        '✗ opt-in: orders is not tagged ferry:managed=true: aws lambda tag-resource --resource <function ARN> --tags ferry:managed=true\n',
      );
      expect(code).toBe(1);
    } finally {
      target.tags.set(ARN, { 'ferry:managed': 'true' });
    }
  });

  it('prints the report as one JSON document with --json', async () => {
    const { code, out } = await ferry(['doctor', 'orders', '--json'], as('payments'));
    expect(JSON.parse(out)).toMatchObject({ function: 'orders', ok: true });
    expect(code).toBe(0);
  });

  it("answers another team's function with one ferry: line, exit 1", async () => {
    const { code, err } = await ferry(['doctor', 'orders'], as('search'));
    expect(err).toMatch(/^ferry: 403 forbidden: function orders belongs to team payments/);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(code).toBe(1);
  });

  it('says what to set when FERRY_URL is not a URL, without a stack trace', async () => {
    const { code, err } = await ferry(['doctor'], { FERRY_URL: 'ferry.example.com' });
    expect(err).toMatch(
      /^ferry: FERRY_URL "ferry.example.com" is not an http\(s\) URL: did you mean https:\/\/ferry\.example\.com\? Otherwise set it to/,
    );
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(code).toBe(2);
  });

  it('says to check FERRY_URL when nothing answers there', async () => {
    const refused = (async () => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
    }) as typeof globalThis.fetch;
    const { code, err } = await ferry(['doctor'], { FERRY_URL: 'http://127.0.0.1:9' }, refused);
    expect(err).toBe(
      'ferry: unreachable: cannot reach http://127.0.0.1:9 (connect ECONNREFUSED 127.0.0.1:9): check FERRY_URL and that the API is running\n',
    );
    expect(code).toBe(1);
  });

  it('fails the api check when FERRY_URL answers as something else', async () => {
    const html = (async () =>
      new Response('<html>hello</html>', {
        status: 200,
        headers: { 'content-type': 'text/html' },
      })) as typeof globalThis.fetch;
    const { code, out } = await ferry(['doctor'], { FERRY_URL: 'http://127.0.0.1:9' }, html);
    expect(out).toMatch(/^✗ api: FERRY_URL answers, but not as the Ferry API/);
    expect(code).toBe(1);
  });

  it('is listed in the usage text, and its own help has its exit codes and an example', async () => {
    const { out } = await ferry(['help'], { FERRY_URL: 'http://127.0.0.1:8787' });
    expect(out).toMatch(/^ {2}doctor \[<function>\]/m);
    const help = await ferry(['doctor', '--help'], { FERRY_URL: 'http://127.0.0.1:8787' });
    expect(help.out).toContain('exit 0 when all pass, 1 otherwise');
    expect(help.out).toMatch(/^example:\n {2}ferry doctor prod-orders$/m);
  });
});

/** `ferry deploy --release`, `ferry approve|abort` and `ferry status --wait` over a gradual release, against a scripted API. */
import { describe, expect, it } from 'vitest';
import { aDeployment } from '../../test/fakes/deployments.ts';
import { aJudgement, aTraffic } from '../../test/fakes/traffic.ts';
import type { Deployment } from '../core/deployment.ts';
import { runCli } from './main.ts';

const ID = 'd-01JDEMO0000000000000000000';
const NOW = Date.parse('2026-11-28T12:03:00.000Z');

interface Sent {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

/** The CLI against `answer`, which sees each request and returns the status and JSON body. */
async function ferry(
  argv: string[],
  answer: (sent: Sent) => { status: number; body: unknown },
  tty = false,
) {
  const out: string[] = [];
  const err: string[] = [];
  const sent: Sent[] = [];
  const fetch = (async (url: URL, init: RequestInit) => {
    const request = {
      method: init.method ?? 'GET',
      path: url.pathname,
      body: init.body ? JSON.parse(String(init.body)) : undefined,
    };
    sent.push(request);
    const { status, body } = answer(request);
    const type = status >= 400 ? 'application/problem+json' : 'application/json';
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
  }) as typeof globalThis.fetch;
  const code = await runCli(argv, {
    stdout: { write: (t) => void out.push(t), isTTY: tty },
    stderr: { write: (t) => void err.push(t) },
    env: { FERRY_URL: 'http://127.0.0.1:8787', FERRY_TOKEN: 't' },
    fetch,
    sleep: async () => {},
    pollMs: 0,
    now: () => new Date(NOW),
  });
  return { code, out: out.join(''), err: err.join(''), sent };
}

const running = (overrides: Partial<Deployment>) =>
  aDeployment({
    id: ID,
    status: 'RUNNING',
    release: { version: '7', digest: null, imageUri: null },
    ...overrides,
  });

/** A canary as successive polls see it: provisioning, holding, judged, awaiting approval, done. */
const canary: Deployment[] = [
  running({
    traffic: aTraffic({
      phase: 'provisioning',
      weight: 0,
      provisionedConcurrency: {
        version: '7',
        requested: 5,
        status: 'IN_PROGRESS',
        requestedAt: '2026-11-28T12:01:00.000Z',
      },
    }),
  }),
  running({
    traffic: aTraffic({
      stepEndsAt: new Date(NOW + 240_000).toISOString(),
      provisionedConcurrency: {
        version: '7',
        requested: 5,
        status: 'READY',
        requestedAt: '2026-11-28T12:01:00.000Z',
      },
    }),
  }),
  running({ traffic: aTraffic({ phase: 'judging' }) }),
  running({
    traffic: aTraffic({
      phase: 'awaiting-approval',
      stepEndsAt: new Date(NOW + 3_000_000).toISOString(),
      judgements: [aJudgement()],
    }),
  }),
  aDeployment({
    id: ID,
    status: 'SUCCEEDED',
    endedAt: '2026-11-28T12:09:00.000Z',
    release: { version: '7', digest: null, imageUri: null },
    traffic: aTraffic({ step: 1, weight: 1, phase: 'complete', judgements: [aJudgement()] }),
    approval: { by: 'token:payments:alice', at: '2026-11-28T12:08:00.000Z' },
  }),
];

/** Answers each GET with the next state of `states`, staying on the last. */
const polls = (states: Deployment[]) => {
  let i = 0;
  return () => ({ status: 200, body: states[Math.min(i++, states.length - 1)] });
};

describe('CLI: gradual releases', () => {
  it('follows a canary with --wait: weight, step, time left, phase, what to run, judgements, outcome', async () => {
    const { code, out } = await ferry(['status', ID, '--wait'], polls(canary));
    expect(code).toBe(0);
    const lines = out.split('\n');
    const at = (text: string) => lines.findIndex((l) => l.includes(text));
    expect(out).toContain('release canary 10% for 5 min, then all');
    expect(out).toContain('provisioned concurrency 5 on version 7, IN_PROGRESS');
    expect(out).toContain('provisioned concurrency 5 on version 7, READY');
    expect(out).toContain(
      `traffic 10% → version 7 · step 1/2 · holding · 4 min left (to stop it: ferry abort ${ID})`,
    );
    expect(out).toContain('traffic 10% → version 7 · step 1/2 · judging');
    expect(out).toContain(
      `step 1/2 · awaiting approval · 50 min left: ferry approve ${ID} or ferry abort ${ID}`,
    );
    expect(out).toContain(
      'judged step 1 (10%): pass → next — version 7: 40 invocations, 0 errors (0.0%), 0 throttles',
    );
    expect(at('judged step 1')).toBeLessThan(at('awaiting approval'));
    expect(out).toContain('approved by token:payments:alice');
    // Each fact once, however many polls saw it.
    expect(out.match(/judged step 1/g)).toHaveLength(1);
    expect(out).toContain('  judged        step 1 (10%): pass → next'); // the summary's column
    expect(out).toContain(`SUCCEEDED ${ID} → orders`);
    expect(out).toContain('  traffic       100% → version 7 · step 2/2 · complete');
  });

  it('redraws the traffic in the block on a terminal', async () => {
    const { code, out } = await ferry(['status', ID, '--wait'], polls(canary), true);
    expect(code).toBe(0);
    expect(out).toContain('\x1b[2K  traffic       10% → version 7 · step 1/2 · holding');
    expect(out).toContain('\x1b[2K  judged        step 1 (10%): pass → next');
  });

  it('approves and aborts by POSTing without a body, and says what follows', async () => {
    const approved = await ferry(['approve', ID], () => ({
      status: 202,
      body: running({ approval: { by: 'token:payments:alice', at: 'now' } }),
    }));
    expect(approved).toMatchObject({ code: 0, err: '' });
    expect(approved.sent).toEqual([
      { method: 'POST', path: `/v1/deployments/${ID}/approve`, body: undefined },
    ]);
    expect(approved.out).toBe(
      `approved ${ID} (by token:payments:alice): the rest of the traffic moves to the new version\nfollow it: ferry status ${ID} --wait\n`,
    );
    const aborted = await ferry(['abort', ID], () => ({
      status: 202,
      body: running({ abort: { by: 'token:payments:bob', at: 'now' } }),
    }));
    expect(aborted.out).toMatch(/^aborted \S+ \(by token:payments:bob\): it is rolling back\n/);
  });

  it('says a refused decision in one ferry: line, exit 1, no stack trace', async () => {
    const { code, out, err } = await ferry(['approve', ID], () => ({
      status: 409,
      body: {
        type: 'urn:ferry:problem:not-awaiting-approval',
        title: 'The deployment is not waiting for an approval',
        status: 409,
        detail: `deployment ${ID} is not waiting for an approval: it is holding at step 1/2`,
        id: ID,
      },
    }));
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(
      `ferry: 409 not-awaiting-approval: deployment ${ID} is not waiting for an approval: it is holding at step 1/2\n`,
    );
  });

  it('exits 2 with usage when the id is missing', async () => {
    for (const verb of ['approve', 'abort']) {
      const { code, err } = await ferry([verb], () => ({ status: 500, body: {} }));
      expect(code).toBe(2);
      expect(err).toMatch(new RegExp(`^ferry: missing deployment id: ferry ${verb} <id>`));
    }
  });

  it('sends --release as a name, or as the explicit form when it is JSON', async () => {
    const accepted = () => ({ status: 202, body: { id: ID, status: 'PENDING' } });
    const named = await ferry(
      ['deploy', 'orders', '--image', 'team/orders:v2', '--release', 'Canary10Percent5Minutes'],
      accepted,
    );
    expect(named.sent[0]?.body).toMatchObject({ release: 'Canary10Percent5Minutes' });
    const explicit = await ferry(
      [
        'deploy',
        'orders',
        '--image',
        'team/orders:v2',
        '--release',
        '{"strategy":"linear","percent":25,"intervalSeconds":60}',
      ],
      accepted,
    );
    expect(explicit.sent[0]?.body).toMatchObject({
      release: { strategy: 'linear', percent: 25, intervalSeconds: 60 },
    });
    const broken = await ferry(
      ['deploy', 'orders', '--image', 'team/orders:v2', '--release', '{strategy'],
      accepted,
    );
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(/^ferry: --release \{strategy: not JSON/);
    expect(broken.sent).toEqual([]);
  });
});

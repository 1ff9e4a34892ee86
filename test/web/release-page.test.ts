/** The deployment page's release section over the real store (dynalite): traffic, judgements, decisions. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../services/core/deployment.ts';
import { parseFunctionSettings } from '../../services/core/settings.ts';
import { type ApiWorld, createApiWorld } from '../api/api-world.ts';
import { aJudgement, aTraffic } from '../fakes/traffic.ts';
import { deploymentFixture } from './fixtures.ts';

const HOSTILE = '<script>alert(1)</script>';
let world: ApiWorld;
let waiting: Deployment;
let aborted: Deployment;
let plain: Deployment;

beforeAll(async () => {
  world = await createApiWorld();
  waiting = deploymentFixture('orders', 5, {
    status: 'RUNNING',
    endedAt: undefined,
    traffic: aTraffic({
      phase: 'awaiting-approval',
      // Ten minutes after the page's clock reads it (the page uses the real clock).
      stepEndsAt: new Date(Date.now() + 600_000).toISOString(),
      judgements: [aJudgement({ reason: `version 5: 40 invocations, 0 errors ${HOSTILE}` })],
      provisionedConcurrency: {
        version: '5',
        requested: 4,
        status: 'READY',
        requestedAt: '2026-11-28T10:05:05.000Z',
        readyAt: '2026-11-28T10:05:30.000Z',
      },
      preexistingAlarms: ['orders-latency'],
    }),
  });
  aborted = deploymentFixture('orders', 6, {
    status: 'ROLLED_BACK',
    reason: 'aborted by token:payments:bob',
    traffic: aTraffic({
      phase: 'rolled-back',
      weight: 0,
      judgements: [
        aJudgement({
          outcome: 'fail',
          action: 'rollback',
          reason: 'error rate 30.0% over 5.0%',
          candidate: {
            version: '6',
            invocations: 40,
            errors: 12,
            throttles: 0,
            durationP90Ms: null,
          },
          alarms: [{ name: 'orders-5xx', state: 'ALARM', preexisting: false }],
        }),
      ],
    }),
    abort: { by: 'token:payments:bob', at: '2026-11-28T10:06:30.000Z' },
  });
  plain = deploymentFixture('orders', 7);
  for (const d of [waiting, aborted, plain]) await world.store.create(d);
});
afterAll(() => world?.close());

const page = async (id: string) => {
  const res = await world.app.request(`/deployments/${id}`, {
    headers: { authorization: `Bearer ${world.token.payments}` },
  });
  return { status: res.status, body: await res.text() };
};

/** The release section's HTML. */
const release = (body: string) =>
  body.slice(body.indexOf('<h2>Release</h2>'), body.indexOf('<h2>Steps</h2>'));

describe('Web page: a gradual release', () => {
  it('shows strategy, share bar, step with time left, phase with the commands, provisioned concurrency', async () => {
    const { status, body } = await page(waiting.id);
    expect(status).toBe(200);
    const html = release(body);
    expect(html).toContain('canary 10% for 5 min, then all');
    expect(html).toContain('10%<span class="muted"> → version 5</span>');
    expect(html).toContain('<span style="width:10.0%"></span>');
    expect(html).toMatch(/1\/2<span class="muted"> · (9|10) min left<\/span>/);
    expect(html).toContain('awaiting approval');
    expect(html).toContain(`<code>ferry approve ${waiting.id}</code>`);
    expect(html).toContain('4 on version 5, READY');
    expect(html).toContain('orders-latency');
  });

  it('lists each judged window: step, weight, window, outcome, action, figures, reason (escaped)', async () => {
    const { body } = await page(waiting.id);
    const table = body.slice(
      body.indexOf('id="judgements"'),
      body.indexOf('</table>', body.indexOf('id="judgements"')),
    );
    const cells = [...table.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]);
    expect(cells.slice(0, 5)).toEqual(['1', '10%', '12:02:00–12:07:00 UTC', 'pass', 'next']);
    expect(cells[5]).toBe('v7: 40 calls, 0 errors (0.0%), 0 throttles, p90 12 ms');
    expect(table).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body).not.toContain(HOSTILE);
  });

  it('marks a failed judgement and its rollback, the alarm that fired, and who aborted', async () => {
    const html = release((await page(aborted.id)).body);
    expect(html).toContain('<td class="error">fail</td><td class="error">rollback</td>');
    expect(html).toContain('alarm orders-5xx in ALARM');
    expect(html).toContain('<dd class="error">rolled back</dd>');
    expect(html).toContain('by token:payments:bob at 2026-11-28 10:06:30 UTC');
    expect(html).not.toContain('ferry approve');
  });

  it('has no release section for a deployment without one', async () => {
    expect((await page(plain.id)).body).not.toContain('<h2>Release</h2>');
  });
});

describe('Web page: release settings of a function', () => {
  it('shows the strategy, whether approval is required and provisioned concurrency', async () => {
    await world.store.putSettings(
      'orders',
      parseFunctionSettings({
        team: 'payments',
        release: 'Linear10PercentEvery2Minutes',
        approval: { required: true },
        provisionedConcurrency: 3,
      }),
    );
    const res = await world.app.request('/functions/orders', {
      headers: { authorization: `Bearer ${world.token.payments}` },
    });
    expect(await res.text()).toContain(
      '<dd id="release">linear +10% every 2 min; approval required; 3 provisioned environments</dd>',
    );
  });
});

/**
 * The release history over the real store (dynalite): which release the alias serves (both, with
 * their weights, during a gradual release), version and reason columns, and a smoke or gate that
 * failed shown as a failed step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../services/core/deployment.ts';
import { liveReleaseOf } from '../../services/core/live.ts';
import { parseFunctionSettings } from '../../services/core/settings.ts';
import { type ApiWorld, createApiWorld } from '../api/api-world.ts';
import { aTraffic } from '../fakes/traffic.ts';
import { deploymentFixture } from './fixtures.ts';

const LONG_REASON = `the new version raised a FunctionError (Unhandled): ${'x'.repeat(150)} END-OF-REASON`;
let world: ApiWorld;
let first: Deployment;
let live: Deployment;
let broken: Deployment;
let rejected: Deployment;
let searchLive: Deployment;
let canary: Deployment;

beforeAll(async () => {
  world = await createApiWorld();
  await world.store.putSettings('search-api', parseFunctionSettings({ team: 'search' }));
  first = deploymentFixture('orders', 1);
  live = deploymentFixture('orders', 2, {
    request: { image: 'r/o:v2', reason: 'hotfix checkout' },
  });
  broken = deploymentFixture('orders', 3, {
    status: 'ROLLED_BACK',
    reason: LONG_REASON,
    steps: [
      {
        name: 'SmokeInvoke',
        startedAt: '2026-11-28T10:03:02.000Z',
        endedAt: '2026-11-28T10:03:03.000Z',
        outcome: 'succeeded',
        attempts: 1,
        detail: 'failed: the new version raised a FunctionError',
      },
      {
        name: 'Rollback',
        startedAt: '2026-11-28T10:03:03.000Z',
        endedAt: '2026-11-28T10:03:04.000Z',
        outcome: 'succeeded',
        attempts: 1,
      },
    ],
    smoke: {
      passed: false,
      verdict: 'fail',
      reason: 'the new version raised a FunctionError',
      statusCode: 200,
      functionError: 'Unhandled',
      responseExcerpt: '{"errorType":"Error"}',
      initDurationMs: 90,
      durationMs: 2,
      maxMemoryUsedMb: 30,
    },
  });
  rejected = deploymentFixture('orders', 4, {
    status: 'REJECTED',
    reason: 'compressed size 300.0 MiB over the budget 250.0 MiB',
    steps: [
      {
        name: 'ScanImage',
        startedAt: '2026-11-28T10:04:01.000Z',
        endedAt: '2026-11-28T10:04:02.000Z',
        outcome: 'succeeded',
        attempts: 1,
        detail: 'reject',
      },
    ],
    scan: {
      ...(first.scan as NonNullable<Deployment['scan']>),
      verdict: 'reject',
      reasons: ['compressed size 300.0 MiB over the budget 250.0 MiB'],
    },
    smoke: undefined,
  });
  searchLive = deploymentFixture('search-api', 5, { team: 'search' });
  canary = deploymentFixture('search-api', 6, {
    team: 'search',
    status: 'RUNNING',
    endedAt: undefined,
    traffic: aTraffic({ weight: 0.1, phase: 'holding' }),
  });
  for (const d of [first, live, broken, rejected, searchLive, canary]) await world.store.create(d);
  await world.store.putLive(
    liveReleaseOf(live, null) as NonNullable<ReturnType<typeof liveReleaseOf>>,
  );
  await world.store.putLive(
    liveReleaseOf(searchLive, null) as NonNullable<ReturnType<typeof liveReleaseOf>>,
  );
});
afterAll(() => world?.close());

const page = async (as: 'payments' | 'search', path: string) => {
  const res = await world.app.request(path, {
    headers: { authorization: `Bearer ${world.token[as]}` },
  });
  return { status: res.status, body: await res.text() };
};

/** The history table's rows by deployment id. */
async function rowsOf(as: 'payments' | 'search', fn: string): Promise<Map<string, string>> {
  const { body } = await page(as, `/functions/${fn}`);
  const table = body.slice(body.indexOf('<table id="history"'));
  const rows = table.split('<tbody>')[1]?.split('</tbody>')[0]?.split('<tr>').slice(1) ?? [];
  return new Map(rows.map((r) => [/\/deployments\/(d-[^"]+)"/.exec(r)?.[1] ?? '', r]));
}

describe('Web page: release history', () => {
  it('marks the release the alias serves, and only that one', async () => {
    const rows = await rowsOf('payments', 'orders');
    expect(rows.get(live.id)).toContain('<span class="mark live">live</span>');
    for (const other of [first, broken, rejected]) expect(rows.get(other.id)).not.toContain('mark');
  });

  it('marks both releases with their weights during a gradual release', async () => {
    const rows = await rowsOf('search', 'search-api');
    expect(rows.get(searchLive.id)).toContain('<span class="mark live">live · 90%</span>');
    expect(rows.get(canary.id)).toContain('<span class="mark new">new · 10%</span>');
  });

  it('shows the version and the reasons: the deployment’s own, and the outcome’s truncated with the full text kept', async () => {
    const { body } = await page('payments', '/functions/orders');
    expect(body).toContain('<th>Version</th>');
    expect(body).toContain('<th>Reason</th>');
    const rows = await rowsOf('payments', 'orders');
    expect(rows.get(live.id)).toContain('<td class="num" data-label="Version">2</td>');
    expect(rows.get(live.id)).toContain('hotfix checkout');
    const row = rows.get(broken.id) ?? '';
    expect(row).toContain(`title="${LONG_REASON}"`);
    expect(row).toContain('the new version raised a FunctionError (Unhandled): xxx');
    expect(row).toContain('…');
    expect(row.replace(`title="${LONG_REASON}"`, '')).not.toContain('END-OF-REASON');
    // The deployment page has the whole reason.
    expect((await page('payments', `/deployments/${broken.id}`)).body).toContain('END-OF-REASON');
  });
});

describe('Web page: steps whose result failed', () => {
  it('shows a smoke step that ran but failed the smoke as failed, in red', async () => {
    const { body } = await page('payments', `/deployments/${broken.id}`);
    const steps = body.slice(body.indexOf('<ol class="timeline"'), body.indexOf('</ol>'));
    const smoke = steps.split('<li').find((li) => li.includes('<strong>SmokeInvoke</strong>'));
    expect(smoke).toContain('class="o-failed"');
    expect(smoke).toContain('<span>failed</span>');
    expect(smoke).not.toContain('succeeded');
    const rollback = steps.split('<li').find((li) => li.includes('<strong>Rollback</strong>'));
    expect(rollback).toContain('class="o-succeeded"');
  });

  it('shows a scan whose gate rejected the image as failed', async () => {
    const { body } = await page('payments', `/deployments/${rejected.id}`);
    const scan = body.split('<li').find((li) => li.includes('<strong>ScanImage</strong>'));
    expect(scan).toContain('class="o-failed"');
    expect(scan).toContain('<span>failed</span>');
  });

  it('keeps a passed smoke as succeeded', async () => {
    const { body } = await page('payments', `/deployments/${live.id}`);
    const smoke = body.split('<li').find((li) => li.includes('<strong>SmokeInvoke</strong>'));
    expect(smoke).toContain('class="o-succeeded"');
  });
});

/**
 * `GET /v1/functions`: what is live where, per team — the JSON twin of the web page's index.
 * Real app, DynamoDB store on dynalite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFunctionSettings } from '../../services/core/settings.ts';
import { type ApiWorld, createApiWorld, IMAGE } from './api-world.ts';

let w: ApiWorld;
let released: string;
let rejected: string;

beforeAll(async () => {
  w = await createApiWorld();
  await w.store.putSettings('search-api', parseFunctionSettings({ team: 'search' }));
  const first = await w.call('payments', 'POST', '/v1/deployments', {
    function: 'orders',
    image: IMAGE,
  });
  released = first.body.id as string;
  await w.store.update(released, {
    status: 'SUCCEEDED',
    endedAt: '2026-11-28T12:00:05.000Z',
    release: { version: '7', digest: `sha256:${'a'.repeat(64)}`, imageUri: IMAGE },
    smoke: {
      passed: true,
      statusCode: 200,
      responseExcerpt: '{}',
      initDurationMs: null,
      durationMs: 3,
      maxMemoryUsedMb: 60,
    },
  });
  await w.store.releaseLock('orders', released);
  const second = await w.call('payments', 'POST', '/v1/deployments', {
    function: 'orders',
    image: IMAGE,
  });
  rejected = second.body.id as string;
  await w.store.update(rejected, { status: 'REJECTED', reason: 'size-growth gate failed' });
  await w.store.releaseLock('orders', rejected);
});
afterAll(() => w.close());

describe('API: GET /v1/functions', () => {
  it('shows a team its functions with the live release and the latest deployment', async () => {
    const res = await w.call('payments', 'GET', '/v1/functions');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        name: 'orders',
        team: 'payments',
        alias: 'live',
        live: {
          deploymentId: released,
          version: '7',
          digest: `sha256:${'a'.repeat(64)}`,
          releasedAt: '2026-11-28T12:00:05.000Z',
          compressedBytes: null,
          initDurationMs: null, // the runtime reported none: said, not invented
        },
        latest: {
          deploymentId: rejected,
          status: 'REJECTED',
          createdAt: expect.any(String),
          reason: 'size-growth gate failed',
        },
        links: { function: '/v1/functions/orders', history: '/v1/functions/orders/deployments' },
      },
    ]);
  });

  it('finds the live release behind a long run of failed attempts', async () => {
    for (let i = 0; i < 25; i++) {
      const res = await w.call('payments', 'POST', '/v1/deployments', {
        function: 'orders',
        image: IMAGE,
      });
      await w.store.update(res.body.id as string, { status: 'FAILED', reason: `attempt ${i}` });
      await w.store.releaseLock('orders', res.body.id as string);
    }
    const [orders] = (await w.call('payments', 'GET', '/v1/functions')).body.items as {
      live: { deploymentId: string };
      latest: { reason: string };
    }[];
    expect(orders?.live.deploymentId).toBe(released);
    expect(orders?.latest.reason).toBe('attempt 24');
  });

  it('shows the admin team every function by name, another team only its own, nobody else none', async () => {
    const names = async (who: 'platform' | 'search') =>
      ((await w.call(who, 'GET', '/v1/functions')).body.items as { name: string }[]).map(
        (f) => f.name,
      );
    expect(await names('platform')).toEqual(['orders', 'search-api']);
    const search = await w.call('search', 'GET', '/v1/functions');
    expect(search.body.items).toEqual([
      expect.objectContaining({ name: 'search-api', live: null, latest: null }),
    ]);
    expect((await w.call(null, 'GET', '/v1/functions')).status).toBe(401);
  });
});

/**
 * Rules and registry push notifications → exactly one deployment per (function, digest); a push
 * is accepted once recorded and waits in its function's queue while that function is busy.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { dispatchRollouts } from '../../services/app/rollout-queue.ts';
import { parseFunctionSettings } from '../../services/core/settings.ts';
import { type ApiWorld, createApiWorld, HOOK_SECRET } from './api-world.ts';

let w: ApiWorld;
beforeEach(async () => {
  await w?.close();
  w = await createApiWorld();
  await w.store.putSettings('orders-eu', parseFunctionSettings({ team: 'payments' }));
  expect(
    (
      await w.call('platform', 'PUT', '/v1/rules/team%2Forders', {
        tagPattern: 'release-*',
        functions: ['orders', 'orders-eu'],
      })
    ).status,
  ).toBe(200);
});
afterAll(() => w.close());

const DIGEST = `sha256:${'c'.repeat(64)}`;
const DIGEST_B = `sha256:${'b'.repeat(64)}`;
const envelope = (tag: string, id = 'evt-1', digest = DIGEST, repository = 'team/orders') =>
  JSON.stringify({
    events: [
      {
        id,
        action: 'push',
        target: {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest,
          repository,
          tag,
        },
      },
    ],
  });
const sign = (body: string, secret = HOOK_SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

async function push(body: string, signature: string | null = sign(body)) {
  const res = await w.app.request('/v1/hooks/registry', {
    method: 'POST',
    headers: {
      'content-type': 'application/vnd.docker.distribution.events.v1+json',
      ...(signature ? { 'x-ferry-signature': signature } : {}),
    },
    body,
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      results?: Array<{
        functionName: string;
        eventId: string;
        recorded: string;
        outcome: string;
        deploymentId?: string;
      }>;
    },
  };
}

describe('API: rules', () => {
  it('lets only the admin team change rules, and anyone authenticated read them', async () => {
    expect(
      (
        await w.call('payments', 'PUT', '/v1/rules/team%2Forders', {
          tagPattern: '*',
          functions: ['orders'],
        })
      ).status,
    ).toBe(403);
    expect((await w.call('payments', 'DELETE', '/v1/rules/team%2Forders')).status).toBe(403);
    expect((await w.call(null, 'GET', '/v1/rules/team%2Forders')).status).toBe(401);
    const got = await w.call('search', 'GET', '/v1/rules/team%2Forders');
    expect(got.body).toMatchObject({
      repository: 'team/orders',
      tagPattern: 'release-*',
      functions: ['orders', 'orders-eu'],
    });
    expect((await w.call('platform', 'DELETE', '/v1/rules/team%2Forders')).status).toBe(204);
    expect((await w.call('search', 'GET', '/v1/rules/team%2Forders')).status).toBe(404);
  });

  it('refuses a rule with an invalid pattern or repository', async () => {
    expect(
      (
        await w.call('platform', 'PUT', '/v1/rules/team%2Forders', {
          tagPattern: 'a b',
          functions: ['orders'],
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await w.call('platform', 'PUT', '/v1/rules/Team%2FOrders', {
          tagPattern: '*',
          functions: ['orders'],
        })
      ).status,
    ).toBe(400);
  });
});

describe('API: registry push notifications', () => {
  it('rejects forged, unsigned and altered notifications and starts nothing', async () => {
    const body = envelope('release-1');
    expect((await push(body, null)).status).toBe(401);
    expect((await push(body, sign(body, 'wrong-secret'))).status).toBe(401);
    expect((await push(body.replace('release-1', 'release-2'), sign(body))).status).toBe(401);
    expect(w.workflow.started).toEqual([]);
  });

  it('rolls a matching push out once to each function of the rule', async () => {
    const res = await push(envelope('release-1'));
    expect(res.status).toBe(202);
    expect(res.body.results?.map((r) => [r.functionName, r.outcome])).toEqual([
      ['orders', 'started'],
      ['orders-eu', 'started'],
    ]);
    expect(w.workflow.started).toHaveLength(2);
    const d = await w.store.get(res.body.results?.[0]?.deploymentId as string);
    expect(d).toMatchObject({
      trigger: { kind: 'registry', eventId: 'evt-1' },
      request: { image: `127.0.0.1:5000/team/orders@${DIGEST}` },
    });
  });

  it('deploys a digest once however often or concurrently the event arrives', async () => {
    const body = envelope('release-1');
    await Promise.all([push(body), push(body), push(body)]);
    await push(envelope('release-1-again'.replace('-again', ''), 'evt-2'));
    const ids = new Set((await w.store.listByFunction('orders')).items.map((d) => d.id));
    expect(ids.size).toBe(1);
    expect(w.workflow.started).toHaveLength(2);
  });

  it("ignores tags that do not match and Ferry's own candidate tags", async () => {
    for (const tag of ['dev-1', 'ferry-candidate-d-01J']) {
      const res = await push(envelope(tag));
      expect(res.body.results).toEqual([]);
    }
    expect(w.workflow.started).toEqual([]);
  });

  it('accepts a push for a busy function with 202 and queues it, without holding up another function', async () => {
    // GIVEN orders busy with another deployment, and a rule for a second repository
    await w.store.putSettings('billing', parseFunctionSettings({ team: 'payments' }));
    await w.call('platform', 'PUT', '/v1/rules/team%2Fbilling', {
      tagPattern: 'release-*',
      functions: ['billing'],
    });
    await w.store.acquireLock('orders', 'd-BUSY', Math.floor(Date.now() / 1000), 600);

    // WHEN a push for orders arrives, then one for billing
    const busy = await push(envelope('release-1'));
    const other = await push(envelope('release-1', 'evt-b', DIGEST_B, 'team/billing'));

    // THEN both are accepted at once; orders' waits in its queue, the others roll out
    expect(busy.status).toBe(202);
    expect(busy.body.results?.map((r) => [r.functionName, r.recorded, r.outcome])).toEqual([
      ['orders', 'new', 'queued'],
      ['orders-eu', 'new', 'started'],
    ]);
    expect(other.status).toBe(202);
    expect(other.body.results?.map((r) => [r.functionName, r.outcome])).toEqual([
      ['billing', 'started'],
    ]);
    const queued = await w.call('payments', 'GET', '/v1/functions/orders/rollouts');
    expect(queued.body).toMatchObject({
      items: [{ eventId: 'evt-1', tag: 'release-1', digest: DIGEST, repository: 'team/orders' }],
    });

    // AND a redelivery is recorded once
    const again = await push(envelope('release-1'));
    expect(again.status).toBe(202);
    expect(again.body.results?.map((r) => [r.functionName, r.recorded, r.outcome])).toEqual([
      ['orders', 'redelivery', 'queued'],
      ['orders-eu', 'redelivery', 'settled'],
    ]);
    expect(await w.rollouts.pending()).toHaveLength(1);
    expect((await w.store.listByFunction('orders')).items).toEqual([]);

    // WHEN the lock is released, the next dispatch starts the queued rollout
    await w.store.releaseLock('orders', 'd-BUSY');
    const dispatched = await dispatchRollouts(w.deps, w.rollouts);
    expect(dispatched.map((r) => [r.functionName, r.eventId, r.outcome])).toEqual([
      ['orders', 'evt-1', 'started'],
    ]);
    const history = (await w.store.listByFunction('orders')).items;
    expect(history.map((d) => d.trigger)).toEqual([{ kind: 'registry', eventId: 'evt-1' }]);
    expect((await w.call('payments', 'GET', '/v1/functions/orders/rollouts')).body).toEqual({
      items: [],
    });
    expect(w.workflow.started).toHaveLength(3);

    // AND a late redelivery of the settled event starts nothing
    const late = await push(envelope('release-1'));
    expect(late.body.results?.map((r) => r.outcome)).toEqual(['settled', 'settled']);
    expect(w.workflow.started).toHaveLength(3);
  });

  it("starts a function's queued rollouts in order, one deployment at a time", async () => {
    await w.store.acquireLock('orders', 'd-BUSY', Math.floor(Date.now() / 1000), 600);
    await push(envelope('release-1', 'evt-1'));
    await push(envelope('release-2', 'evt-2', DIGEST_B));
    expect((await w.rollouts.pending('orders')).map((r) => r.eventId)).toEqual(['evt-1', 'evt-2']);
    await w.store.releaseLock('orders', 'd-BUSY');

    const first = await dispatchRollouts(w.deps, w.rollouts, 'orders');
    // evt-1 started and holds the lock: evt-2 waits behind it.
    expect(first.map((r) => [r.eventId, r.outcome])).toEqual([
      ['evt-1', 'started'],
      ['evt-2', 'busy'],
    ]);
    const [started] = (await w.store.listByFunction('orders')).items;
    await w.store.releaseLock('orders', started?.id as string);
    const second = await dispatchRollouts(w.deps, w.rollouts, 'orders');
    expect(second.map((r) => [r.eventId, r.outcome])).toEqual([['evt-2', 'started']]);
    expect(await w.rollouts.pending('orders')).toEqual([]);
    // orders-eu's evt-2 still waits behind its own evt-1, which the faked workflow never ends.
    expect((await w.rollouts.pending()).map((r) => [r.functionName, r.eventId])).toEqual([
      ['orders-eu', 'evt-2'],
    ]);
  });

  it('drops a queued rollout whose digest is already live', async () => {
    await w.store.acquireLock('orders', 'd-BUSY', Math.floor(Date.now() / 1000), 600);
    await push(envelope('release-1'));
    await w.store.putLive({
      functionName: 'orders',
      deploymentId: 'd-LIVE',
      version: '3',
      digest: DIGEST,
      imageUri: `127.0.0.1:5000/team/orders@${DIGEST}`,
      releasedAt: null,
      compressedBytes: null,
      initDurationMs: null,
    });
    await w.store.releaseLock('orders', 'd-BUSY');
    const dispatched = await dispatchRollouts(w.deps, w.rollouts, 'orders');
    expect(dispatched.map((r) => r.outcome)).toEqual(['already-live']);
    expect(await w.rollouts.pending('orders')).toEqual([]);
    expect((await w.store.listByFunction('orders')).items).toEqual([]);
  });
});

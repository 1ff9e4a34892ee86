/** Rules and registry push notifications → exactly one deployment per (function, digest). */
import { createHmac } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
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
const envelope = (tag: string, id = 'evt-1', digest = DIGEST) =>
  JSON.stringify({
    events: [
      {
        id,
        action: 'push',
        target: {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest,
          repository: 'team/orders',
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
      results?: Array<{ functionName: string; outcome: string; deploymentId?: string }>;
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
    expect(res.status).toBe(200);
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

  it('answers 503 while a target is busy so the registry redelivers; the retry then deploys', async () => {
    await w.store.acquireLock('orders', 'd-BUSY', Math.floor(Date.now() / 1000), 600);
    const first = await push(envelope('release-1'));
    expect(first.status).toBe(503);
    await w.store.releaseLock('orders', 'd-BUSY');
    const retry = await push(envelope('release-1'));
    expect(retry.status).toBe(200);
    expect(retry.body.results?.map((r) => r.outcome)).toEqual(['started', 'already-deployed']);
  });
});

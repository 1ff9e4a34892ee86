/** POST /v1/deployments beyond the happy path: replays, triggers, links, origins, ownership. */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../services/api/app.ts';
import { parseFunctionSettings } from '../../services/core/settings.ts';
import { type ApiWorld, createApiWorld, IMAGE } from './api-world.ts';
import { send } from './send.ts';

let w: ApiWorld;
beforeEach(async () => {
  await w?.close();
  w = await createApiWorld();
});
afterAll(() => w.close());

const body = { function: 'orders', image: IMAGE };

describe('API: idempotent retries', () => {
  it('replays (200, same id) a retry that arrives while the first deployment still holds the lock', async () => {
    const first = await w.call('payments', 'POST', '/v1/deployments', body, {
      'idempotency-key': 'k',
    });
    expect((await w.store.getLock('orders'))?.owner).toBe(first.body.id);
    const retry = await w.call('payments', 'POST', '/v1/deployments', body, {
      'idempotency-key': 'k',
    });
    expect([first.status, retry.status]).toEqual([202, 200]);
    expect(retry.body).toMatchObject({ id: first.body.id, links: first.body.links });
    expect(w.workflow.started).toEqual([first.body.id]);
  });

  it('treats a body with its keys in another order as the same request', async () => {
    const first = await w.call(
      'payments',
      'POST',
      '/v1/deployments',
      { ...body, reason: 'r' },
      {
        'idempotency-key': 'k',
      },
    );
    const again = await w.call(
      'payments',
      'POST',
      '/v1/deployments',
      { reason: 'r', image: IMAGE, function: 'orders' },
      { 'idempotency-key': 'k' },
    );
    expect(again.body.id).toBe(first.body.id);
  });

  it('replays a deployment whose start failed as FAILED; a new key starts afresh', async () => {
    w.workflow.fail = true;
    const failed = await w.call('payments', 'POST', '/v1/deployments', body, {
      'idempotency-key': 'k',
    });
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('5');
    w.workflow.fail = false;
    const replay = await w.call('payments', 'POST', '/v1/deployments', body, {
      'idempotency-key': 'k',
    });
    expect(replay).toMatchObject({ status: 200, body: { id: failed.body.id, status: 'FAILED' } });
    const fresh = await w.call('payments', 'POST', '/v1/deployments', body, {
      'idempotency-key': 'k2',
    });
    expect(fresh.status).toBe(202);
    expect(w.workflow.started).toEqual([fresh.body.id]);
  });
});

describe('API: a workflow that cannot start', () => {
  it('frees the function even when the record cannot be marked FAILED', async () => {
    w.workflow.fail = true;
    const store = Object.create(w.store);
    store.update = async () => {
      throw new Error('store down');
    };
    const app = createApp({ ...w.deps, store });
    const res = await send(app, 'POST', '/v1/deployments', {
      body,
      headers: { authorization: `Bearer ${w.token.payments}` },
    });
    expect(res.status).toBe(503);
    expect(res.body.type).toBe('urn:ferry:problem:workflow-unavailable');
    expect(await w.store.getLock('orders')).toBeNull();
  });
});

describe('API: what a deployment records and answers', () => {
  it('records the CLI as the trigger when X-Ferry-Client says so, with the principal as actor', async () => {
    const res = await w.call('payments', 'POST', '/v1/deployments', body, {
      'x-ferry-client': 'cli',
    });
    expect(await w.store.get(res.body.id as string)).toMatchObject({
      status: 'PENDING',
      team: 'payments',
      trigger: { kind: 'cli', actor: expect.stringMatching(/^token:payments:[0-9a-f]{12}$/) },
      request: { image: IMAGE },
    });
  });

  it('answers 202 with links and a Location header; absolute with publicBaseUrl', async () => {
    const app = createApp({
      ...w.deps,
      config: { ...w.deps.config, publicBaseUrl: 'https://ferry.example.com/' },
    });
    const res = await send(app, 'POST', '/v1/deployments', {
      body,
      headers: { authorization: `Bearer ${w.token.payments}` },
    });
    const id = res.body.id as string;
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      id,
      status: 'PENDING',
      links: {
        self: `https://ferry.example.com/v1/deployments/${id}`,
        history: 'https://ferry.example.com/v1/functions/orders/deployments',
        function: 'https://ferry.example.com/v1/functions/orders',
      },
    });
    expect(res.headers.get('location')).toBe(`https://ferry.example.com/v1/deployments/${id}`);
  });

  it('normalises a function ARN to its name', async () => {
    const res = await w.call('payments', 'POST', '/v1/deployments', {
      function: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
      image: IMAGE,
    });
    expect(res.status).toBe(202);
    expect((await w.store.get(res.body.id as string))?.functionName).toBe('orders');
  });

  it("lets the function's current owner read its deployments after a team change", async () => {
    const res = await w.call('payments', 'POST', '/v1/deployments', body);
    await w.call('platform', 'PUT', '/v1/functions/orders', { team: 'search' });
    const path = `/v1/deployments/${res.body.id}`;
    expect((await w.call('search', 'GET', path)).status).toBe(200);
    expect((await w.call('payments', 'GET', path)).status).toBe(403);
  });
});

describe('API: allowed repositories', () => {
  beforeEach(async () => {
    await w.store.putSettings(
      'locked',
      parseFunctionSettings({
        team: 'payments',
        allowedRepositories: ['team/orders', 'github.com/acme/*'],
      }),
    );
  });

  it.each([
    ['an image from an allowed repository', { image: IMAGE }, 202],
    ['an image from another repository', { image: 'team/other:v1' }, 403],
    [
      'a source under an allowed prefix',
      { source: { url: 'https://github.com/acme/locked.git' } },
      202,
    ],
    ['a source elsewhere', { source: { url: 'https://gitlab.com/evil/locked.git' } }, 403],
  ])('answers %s with %i', async (_, origin, status) => {
    const res = await w.call('payments', 'POST', '/v1/deployments', {
      function: 'locked',
      ...origin,
    });
    expect(res.status).toBe(status);
    if (status === 403) {
      expect(res.body).toMatchObject({
        type: 'urn:ferry:problem:forbidden',
        allowedRepositories: ['team/orders', 'github.com/acme/*'],
      });
      expect(await w.store.getLock('locked')).toBeNull();
      expect((await w.store.listByFunction('locked')).items).toEqual([]);
      expect(w.workflow.started).toEqual([]);
    }
  });
});

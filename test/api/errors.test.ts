/** Every failure is an application/problem+json with a stable type; a 500 says nothing inside. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../services/api/app.ts';
import type { Logger } from '../../services/core/logger.ts';
import { type ApiWorld, createApiWorld, IMAGE } from './api-world.ts';
import { send } from './send.ts';

let w: ApiWorld;
beforeAll(async () => {
  w = await createApiWorld();
});
afterAll(() => w.close());

/** The world's app with one store method replaced, and a logger that keeps what it is told. */
function appWithFailingStore(method: 'getSettings', error: Error) {
  const logged: Array<Record<string, unknown>> = [];
  const at = (level: string) => (message: string, data?: Record<string, unknown>) =>
    void logged.push({ level, message, ...data });
  const logger: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  const store = Object.create(w.store);
  store[method] = async () => {
    throw error;
  };
  return { app: createApp({ ...w.deps, store, logger }), logged };
}

const auth = () => ({ authorization: `Bearer ${w.token.payments}` });

describe('API: problem documents', () => {
  it('answers an unexpected error with a 500 that leaks nothing, and logs the cause', async () => {
    const secret = 'connect ECONNREFUSED 10.1.2.3:8000 password=hunter2';
    const { app, logged } = appWithFailingStore('getSettings', new Error(secret));
    const res = await send(app, 'GET', '/v1/functions/orders', { headers: auth() });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toEqual({
      type: 'urn:ferry:problem:internal',
      title: 'Internal error',
      status: 500,
      detail: 'an internal error occurred; it has been logged',
      instance: '/v1/functions/orders',
    });
    expect(res.text).not.toMatch(/hunter2|10\.1\.2\.3|at .*\.ts/);
    expect(logged).toContainEqual(expect.objectContaining({ level: 'error', message: secret }));
  });

  it('answers a transient dependency failure with 503 and Retry-After', async () => {
    const busy = Object.assign(new Error('throttled'), { name: 'TransientError' });
    const { app } = appWithFailingStore('getSettings', busy);
    const res = await send(app, 'GET', '/v1/functions/orders', { headers: auth() });
    expect(res.status).toBe(503);
    expect(res.body.type).toBe('urn:ferry:problem:unavailable');
    expect(res.headers.get('retry-after')).toBe('5');
  });

  it('answers a missing credential with 401, a challenge, and no hint of what exists', async () => {
    const res = await w.call(null, 'GET', '/v1/functions/orders');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="ferry"');
    expect(res.body.type).toBe('urn:ferry:problem:unauthenticated');
    const wrong = await w.call(null, 'GET', '/v1/functions/orders', undefined, {
      authorization: 'Bearer ferry_not-a-token-anyone-issued',
    });
    expect(wrong.status).toBe(401);
  });

  it('answers an unknown route with a not-found problem', async () => {
    const res = await w.call('payments', 'GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ type: 'urn:ferry:problem:not-found', status: 404 });
  });

  it('answers a lock held by another deployment with 409 naming the holder', async () => {
    await w.store.acquireLock('orders', 'd-01JDX3Q4ZJ8M2V7N5K1R9T6W3A', Date.now() / 1000, 600);
    const res = await w.call('payments', 'POST', '/v1/deployments', {
      function: 'orders',
      image: IMAGE,
    });
    await w.store.releaseLock('orders', 'd-01JDX3Q4ZJ8M2V7N5K1R9T6W3A');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      type: 'urn:ferry:problem:deployment-in-progress',
      holder: 'd-01JDX3Q4ZJ8M2V7N5K1R9T6W3A',
      detail: expect.stringContaining('ferry status d-01JDX3Q4ZJ8M2V7N5K1R9T6W3A --wait'),
    });
    expect((await w.store.listByFunction('orders')).items).toEqual([]);
  });

  it('serves /healthz without credentials and without touching the store', async () => {
    const { app } = appWithFailingStore('getSettings', new Error('store down'));
    const res = await send(app, 'GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });
});

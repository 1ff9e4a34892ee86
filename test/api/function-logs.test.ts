/** GET /v1/functions/{name}/logs over the fake FunctionLogs: pages, following, the checks. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, createApiWorld } from './api-world.ts';

let w: ApiWorld;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

beforeAll(async () => {
  w = await createApiWorld();
  w.functionLogs.write('orders', minutesAgo(120), [{ version: '2', message: 'two hours ago' }]);
  w.functionLogs.write('orders', minutesAgo(20), [
    { version: '2', requestId: 'req-a', message: 'START RequestId: req-a Version: 2' },
    { version: '2', requestId: 'req-a', message: 'from version 2' },
  ]);
  w.functionLogs.write('orders', minutesAgo(5), [
    { version: '3', requestId: 'req-b', message: 'from version 3' },
  ]);
});
afterAll(() => w.close());

const messages = (body: Record<string, unknown>) =>
  (body.events as Array<{ message: string }>).map((e) => e.message);

describe('API: function logs', () => {
  it("answers the last hour's lines, oldest first, with time, version and request id", async () => {
    const res = await w.call('payments', 'GET', '/v1/functions/orders/logs');
    expect(res.status).toBe(200);
    expect(res.body.events).toEqual([
      {
        timestamp: expect.any(String),
        version: '2',
        requestId: 'req-a',
        message: 'START RequestId: req-a Version: 2',
      },
      expect.objectContaining({ message: 'from version 2' }),
      expect.objectContaining({ version: '3', requestId: 'req-b', message: 'from version 3' }),
    ]);
    expect(res.body.cursor).toEqual(expect.any(String));
  });

  it('filters by version, reads from a duration or an ISO time, and tails by limit', async () => {
    const v3 = await w.call('payments', 'GET', '/v1/functions/orders/logs?version=3');
    expect(messages(v3.body)).toEqual(['from version 3']);
    const recent = await w.call('payments', 'GET', '/v1/functions/orders/logs?since=10m');
    expect(messages(recent.body)).toEqual(['from version 3']);
    const iso = minutesAgo(180).toISOString();
    const all = await w.call('payments', 'GET', `/v1/functions/orders/logs?since=${iso}`);
    expect(messages(all.body)[0]).toBe('two hours ago');
    const tail = await w.call('payments', 'GET', '/v1/functions/orders/logs?since=3h&limit=1');
    expect(messages(tail.body)).toEqual(['from version 3']);
  });

  it('gives only what came after a cursor (how ferry logs --follow polls)', async () => {
    const first = await w.call('payments', 'GET', '/v1/functions/orders/logs');
    w.functionLogs.write('orders', new Date(), [{ version: '3', message: 'just now' }]);
    const cursor = encodeURIComponent(String(first.body.cursor));
    const next = await w.call('payments', 'GET', `/v1/functions/orders/logs?cursor=${cursor}`);
    expect(messages(next.body)).toEqual(['just now']);
  });

  it.each([
    ['version=abc', 'version'],
    ['version=0', 'version'],
    ['since=yesterday', 'since'],
    ['since=-5m', 'since'],
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=ten', 'limit'],
    ['follow=true', ''],
  ])('refuses %s with a problem naming the field', async (query, field) => {
    const res = await w.call('payments', 'GET', `/v1/functions/orders/logs?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toBe('urn:ferry:problem:validation');
    if (field) expect(JSON.stringify(res.body.errors)).toContain(field);
  });

  it('refuses a cursor it did not issue', async () => {
    const res = await w.call('payments', 'GET', '/v1/functions/orders/logs?cursor=garbage');
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('urn:ferry:problem:invalid-cursor');
  });

  it("checks the caller like the function's other reads", async () => {
    expect((await w.call('search', 'GET', '/v1/functions/orders/logs')).status).toBe(403);
    expect((await w.call(null, 'GET', '/v1/functions/orders/logs')).status).toBe(401);
    const missing = await w.call('platform', 'GET', '/v1/functions/nobody/logs');
    expect(missing.status).toBe(404);
    expect(missing.body.type).toBe('urn:ferry:problem:function-not-registered');
    expect((await w.call('platform', 'GET', '/v1/functions/orders/logs')).status).toBe(200);
  });
});

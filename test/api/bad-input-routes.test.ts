/** Bad input on the other routes: settings, rollback, history. Each is a 4xx problem that changes nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, createApiWorld, IMAGE } from './api-world.ts';

let w: ApiWorld;
let settingsBefore: unknown;
beforeAll(async () => {
  w = await createApiWorld();
  settingsBefore = await w.store.getSettings('orders');
});
afterAll(() => w.close());

type Case = [string, string, string, unknown, number, string, Record<string, string>?];

const cases: Case[] = [
  [
    'settings with an unknown field',
    'PUT',
    '/v1/functions/orders',
    { team: 'payments', owner: 'x' },
    400,
    'validation',
  ],
  ['settings without a team', 'PUT', '/v1/functions/orders', { alias: 'live' }, 400, 'validation'],
  [
    'settings with a numeric alias',
    'PUT',
    '/v1/functions/orders',
    { team: 'payments', alias: '42' },
    400,
    'validation',
  ],
  [
    'settings with a string budget',
    'PUT',
    '/v1/functions/orders',
    { team: 'payments', sizeBudgetBytes: '1GB' },
    400,
    'validation',
  ],
  ['settings as malformed JSON', 'PUT', '/v1/functions/orders', '{"team":', 400, 'validation'],
  ['settings as a JSON array', 'PUT', '/v1/functions/orders', '[]', 400, 'validation'],
  [
    'settings as text/plain',
    'PUT',
    '/v1/functions/orders',
    '{"team":"payments"}',
    415,
    'unsupported-media-type',
    { 'content-type': 'text/plain' },
  ],
  [
    'settings over 64 KB',
    'PUT',
    '/v1/functions/orders',
    { team: 'payments', notifyChannel: 'x'.repeat(70_000) },
    413,
    'payload-too-large',
  ],
  [
    'settings for a bad name',
    'PUT',
    '/v1/functions/bad.name',
    { team: 'payments' },
    400,
    'validation',
  ],
  [
    'settings for a qualified ARN',
    'PUT',
    '/v1/functions/arn:aws:lambda:us-east-1:123456789012:function:orders:1',
    { team: 'payments' },
    400,
    'validation',
  ],
  [
    'a rollback with an unknown field',
    'POST',
    '/v1/functions/orders/rollback',
    { to: undefined, force: true },
    400,
    'validation',
  ],
  [
    'a rollback with an oversized reason',
    'POST',
    '/v1/functions/orders/rollback',
    { reason: 'r'.repeat(501) },
    400,
    'validation',
  ],
  [
    'a rollback without a content type',
    'POST',
    '/v1/functions/orders/rollback',
    '{}',
    415,
    'unsupported-media-type',
    { 'content-type': '' },
  ],
  [
    'a deployment without a content type',
    'POST',
    '/v1/deployments',
    JSON.stringify({ function: 'orders', image: IMAGE }),
    415,
    'unsupported-media-type',
    { 'content-type': '' },
  ],
  ['a deployment as a JSON string', 'POST', '/v1/deployments', '"orders"', 400, 'validation'],
  [
    'a history page of 0',
    'GET',
    '/v1/functions/orders/deployments?limit=0',
    undefined,
    400,
    'validation',
  ],
  [
    'a history page of 1000',
    'GET',
    '/v1/functions/orders/deployments?limit=1000',
    undefined,
    400,
    'validation',
  ],
  [
    'a history query with an unknown parameter',
    'GET',
    '/v1/functions/orders/deployments?sort=asc',
    undefined,
    400,
    'validation',
  ],
  [
    'settings of an unregistered function',
    'GET',
    '/v1/functions/ghost',
    undefined,
    404,
    'function-not-registered',
  ],
  [
    'history of an unregistered function',
    'GET',
    '/v1/functions/ghost/deployments',
    undefined,
    404,
    'function-not-registered',
  ],
];

describe('API: bad input on settings, rollback and history', () => {
  it.each(cases)(
    'answers %s with a problem and changes nothing',
    async (_, method, path, body, status, kind, headers) => {
      const res = await w.call('platform', method, path, body, headers ?? {});
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body).toMatchObject({
        type: `urn:ferry:problem:${kind}`,
        status,
        title: expect.any(String),
      });
      expect(await w.store.getSettings('orders')).toEqual(settingsBefore);
      expect(await w.store.getSettings('ghost')).toBeNull();
      expect((await w.store.listByFunction('orders')).items).toEqual([]);
      expect(await w.store.getLock('orders')).toBeNull();
      expect(w.workflow.started).toEqual([]);
    },
  );

  it('lists every invalid field of a settings body', async () => {
    const res = await w.call('platform', 'PUT', '/v1/functions/orders', {
      team: '',
      maxGrowthRatio: 0.5,
    });
    const paths = (res.body.errors as Array<{ path: string }>).map((e) => e.path).sort();
    expect(paths).toEqual(['maxGrowthRatio', 'team']);
  });

  it('tells how to register an unregistered function', async () => {
    const res = await w.call('payments', 'GET', '/v1/functions/ghost');
    expect(res.body.detail).toMatch(/admin team registers it with PUT \/v1\/functions\/ghost/);
  });
});

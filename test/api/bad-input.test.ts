/** Every kind of bad input gets a 4xx problem+json and changes nothing: no record, no lock, no start. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFunctionSettings } from '../../services/core/settings.ts';
import { type ApiWorld, createApiWorld, IMAGE } from './api-world.ts';

let w: ApiWorld;
beforeAll(async () => {
  w = await createApiWorld();
});
afterAll(() => w.close());

const base = { function: 'orders' };
const source = (extra: Record<string, unknown>) => ({
  ...base,
  source: { url: 'https://git.example.com/a/b.git', ...extra },
});

const cases: Array<[string, unknown, number, string, Record<string, string>?]> = [
  ['malformed JSON', '{"function": "orders", ', 400, 'validation'],
  [
    'a body over 64 KB',
    { ...base, image: IMAGE, reason: 'x'.repeat(70_000) },
    413,
    'payload-too-large',
  ],
  ['unknown fields', { ...base, image: IMAGE, force: true }, 400, 'validation'],
  [
    'both image and source',
    { ...base, image: IMAGE, source: { url: 'https://git.example.com/a/b.git' } },
    400,
    'validation',
  ],
  ['neither image nor source', base, 400, 'validation'],
  ['a function name with a slash', { function: 'orders/../x', image: IMAGE }, 400, 'validation'],
  [
    'a function name over 64 characters',
    { function: 'f'.repeat(65), image: IMAGE },
    400,
    'validation',
  ],
  [
    'a qualified function ARN',
    { function: 'arn:aws:lambda:us-east-1:123456789012:function:orders:live', image: IMAGE },
    400,
    'validation',
  ],
  [
    'an image ref with a short digest',
    { ...base, image: `team/orders@sha256:${'a'.repeat(60)}` },
    400,
    'validation',
  ],
  ['an image ref with uppercase', { ...base, image: 'Team/Orders:v1' }, 400, 'validation'],
  [
    'an image ref with both a tag and a digest (the tag would be ignored)',
    { ...base, image: `team/orders:v1@sha256:${'a'.repeat(64)}` },
    400,
    'validation',
  ],
  ['an image ref with spaces', { ...base, image: 'team/orders:v 1' }, 400, 'validation'],
  [
    'a source URL with scheme ssh',
    source({ url: 'ssh://git@example.com/a/b.git' }),
    400,
    'validation',
  ],
  ['a source URL with file scheme', source({ url: 'file:///etc/passwd' }), 400, 'validation'],
  [
    'a source URL with credentials',
    source({ url: 'https://user:secret@git.example.com/a/b.git' }),
    400,
    'validation',
  ],
  ['an absolute dockerfile', source({ dockerfile: '/etc/Dockerfile' }), 400, 'validation'],
  // A build would read it as an option (the builds refuse it; the API refuses it first).
  ['a context starting with -', source({ context: '-rf' }), 400, 'validation'],
  ['a context with ..', source({ context: 'app/../../etc' }), 400, 'validation'],
  ['a build-arg name with a dash', source({ buildArgs: { 'BAD-NAME': '1' } }), 400, 'validation'],
  [
    'a build-arg value with a newline',
    source({ buildArgs: { A: 'x\nRUN rm -rf /' } }),
    400,
    'validation',
  ],
  ['a build-arg value with NUL', source({ buildArgs: { A: 'x\u0000' } }), 400, 'validation'],
  ['a git ref starting with -', source({ ref: '--upload-pack=evil' }), 400, 'validation'],
  ['an oversized reason', { ...base, image: IMAGE, reason: 'r'.repeat(501) }, 400, 'validation'],
  [
    'a text/plain body',
    JSON.stringify({ ...base, image: IMAGE }),
    415,
    'unsupported-media-type',
    { 'content-type': 'text/plain' },
  ],
  [
    'a bad Idempotency-Key',
    { ...base, image: IMAGE },
    400,
    'validation',
    { 'idempotency-key': 'spaces are bad' },
  ],
];

describe('API: bad input', () => {
  it.each(cases)(
    'answers %s with a problem and changes nothing',
    async (_, body, status, kind, headers) => {
      const res = await w.call('payments', 'POST', '/v1/deployments', body, headers ?? {});
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ type: `urn:ferry:problem:${kind}`, status });
      expect(typeof res.body.detail).toBe('string');
      expect(w.workflow.started).toEqual([]);
      expect(await w.store.getLock('orders')).toBeNull();
      expect((await w.store.listByFunction('orders')).items).toEqual([]);
    },
  );

  it('names the invalid field in the problem', async () => {
    const res = await w.call(
      'payments',
      'POST',
      '/v1/deployments',
      source({ url: 'https://u:p@x.example/a.git' }),
    );
    expect(res.body.errors).toContainEqual(expect.objectContaining({ path: 'source.url' }));
  });

  it('answers an unknown deployment id with 404', async () => {
    for (const id of ['d-01JDEMO0000000000000000000', 'not-an-id', '..%2F..%2Fetc']) {
      const res = await w.call('payments', 'GET', `/v1/deployments/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.type).toBe('urn:ferry:problem:not-found');
    }
  });

  it('answers a tampered or foreign pagination cursor with 400 invalid-cursor', async () => {
    for (let i = 0; i < 3; i++) {
      expect(
        (await w.call('platform', 'POST', '/v1/deployments', { ...base, image: IMAGE })).status,
      ).toBe(202);
      await w.store.releaseLock('orders', (await w.store.getLock('orders'))?.owner ?? '');
    }
    const page = await w.call('payments', 'GET', '/v1/functions/orders/deployments?limit=1');
    const cursor = page.body.cursor as string;
    expect(cursor).toBeTruthy();
    const [payload, signature] = cursor.split('.');
    const tampered = [
      `${payload}x.${signature}`,
      `${payload}.${signature?.slice(0, -2)}AA`,
      'garbage',
      Buffer.from('{"pk":"DEP#x"}').toString('base64url'),
    ];
    for (const bad of tampered) {
      const res = await w.call(
        'payments',
        'GET',
        `/v1/functions/orders/deployments?cursor=${encodeURIComponent(bad)}`,
      );
      expect(res.status, bad).toBe(400);
      expect(res.body.type).toBe('urn:ferry:problem:invalid-cursor');
    }
    const next = await w.call(
      'payments',
      'GET',
      `/v1/functions/orders/deployments?limit=1&cursor=${encodeURIComponent(cursor)}`,
    );
    expect(next.status).toBe(200);
  });

  it('answers an unregistered function with 404 that says how to register it', async () => {
    const res = await w.call('payments', 'POST', '/v1/deployments', {
      function: 'ghost',
      image: IMAGE,
    });
    expect(res.status).toBe(404);
    expect(res.body.type).toBe('urn:ferry:problem:function-not-registered');
    expect(res.body.detail).toMatch(/PUT \/v1\/functions\/ghost/);
  });

  it('answers an image outside the allowed repositories with 403', async () => {
    await w.store.putSettings(
      'locked',
      parseFunctionSettings({ team: 'payments', allowedRepositories: ['team/locked'] }),
    );
    const res = await w.call('payments', 'POST', '/v1/deployments', {
      function: 'locked',
      image: IMAGE,
    });
    expect(res.status).toBe(403);
    expect(await w.store.getLock('locked')).toBeNull();
  });
});

describe('API: bad input in local mode (file:// sources allowed)', () => {
  let local: ApiWorld;
  beforeAll(async () => {
    local = await createApiWorld({ allowFileSources: true });
  });
  afterAll(() => local.close());

  it.each([
    ['a .. segment', 'file:///srv/app/../etc'],
    ['a percent-encoded .. segment', 'file:///srv/app/%2e%2E/etc'],
    ['a . segment', 'file:///srv/./app'],
  ])('answers a file:// source with %s with a problem and changes nothing', async (_, url) => {
    const res = await local.call('payments', 'POST', '/v1/deployments', {
      ...base,
      source: { url },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: 'urn:ferry:problem:validation' });
    expect(local.workflow.started).toEqual([]);
    expect(await local.store.getLock('orders')).toBeNull();
    expect((await local.store.listByFunction('orders')).items).toEqual([]);
  });

  it('accepts a plain file:// source there', async () => {
    const res = await local.call('payments', 'POST', '/v1/deployments', {
      ...base,
      source: { url: 'file:///srv/app' },
    });
    expect(res.status).toBe(202);
  });
});

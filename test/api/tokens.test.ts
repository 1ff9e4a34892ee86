/**
 * Local teams through the API: the admin team makes a token for a team, that token acts for its
 * team only, and a revoked token is refused from the next request on (the real token
 * authenticator over the dynalite store).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, createApiWorld, IMAGE } from './api-world.ts';

let w: ApiWorld;
beforeAll(async () => {
  w = await createApiWorld();
});
afterAll(() => w.close());

/** Calls the app with a bearer token. */
async function as(token: string, method: string, path: string, body?: unknown) {
  const res = await w.app.request(path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

describe('API: /v1/tokens', () => {
  it('makes a token shown once, lists it without the token, and it acts for its team', async () => {
    const made = await w.call('platform', 'POST', '/v1/tokens', { team: 'search' });
    expect(made.status).toBe(201);
    const token = made.body.token as string;
    expect(made.body).toMatchObject({
      team: 'search',
      id: expect.stringMatching(/^[0-9a-f]{12}$/),
    });
    expect(made.body.createdBy).toMatch(/^token:platform:[0-9a-f]{12}$/);
    const listed = await w.call('platform', 'GET', '/v1/tokens');
    expect(listed.body.items).toContainEqual({
      id: made.body.id,
      team: 'search',
      createdAt: made.body.createdAt,
      createdBy: made.body.createdBy,
    });
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect((await as(token, 'GET', '/v1/whoami')).body).toMatchObject({ team: 'search' });
  });

  it("refuses team B's token on team A's function, and lets the admin team act on it", async () => {
    const made = await w.call('platform', 'POST', '/v1/tokens', { team: 'search' });
    const deploy = { function: 'orders', image: IMAGE };
    const refused = await as(made.body.token as string, 'POST', '/v1/deployments', deploy);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/function orders belongs to team payments/);
    const admin = await w.call('platform', 'POST', '/v1/deployments', deploy);
    expect(admin.status).toBe(202);
  });

  it('refuses a revoked token at once', async () => {
    const made = await w.call('platform', 'POST', '/v1/tokens', { team: 'payments' });
    const token = made.body.token as string;
    expect((await as(token, 'GET', '/v1/functions/orders')).status).toBe(200);
    expect((await w.call('platform', 'DELETE', `/v1/tokens/${made.body.id}`)).status).toBe(204);
    const after = await as(token, 'GET', '/v1/functions/orders');
    expect(after.status).toBe(401);
    const ids = (
      (await w.call('platform', 'GET', '/v1/tokens')).body.items as { id: string }[]
    ).map((t) => t.id);
    expect(ids).not.toContain(made.body.id);
  });

  it('says what to fix for a bad team, an unknown id and a non-admin caller', async () => {
    const bad = await w.call('platform', 'POST', '/v1/tokens', { team: '', role: 'admin' });
    expect(bad.status).toBe(400);
    expect(bad.body.type).toBe('urn:ferry:problem:validation');
    const unknown = await w.call('platform', 'DELETE', '/v1/tokens/0123456789ab');
    expect(unknown).toMatchObject({
      status: 404,
      body: { detail: expect.stringMatching(/ferry tokens list/) },
    });
    const forbidden = await w.call('payments', 'POST', '/v1/tokens', { team: 'payments' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});

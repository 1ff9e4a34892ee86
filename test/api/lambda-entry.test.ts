/**
 * The API as API Gateway runs it: hono/aws-lambda's `handle` given HTTP API (payload v2) events
 * with IAM authorization, so the principal ARN really travels through `c.env.event`.
 */
import { handle } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../services/api/app.ts';
import { iamAuthenticator } from '../../services/auth/iam-authenticator.ts';
import { httpApiEvent } from '../support/http-api-event.ts';
import { type ApiWorld, createApiWorld, IMAGE } from './api-world.ts';

const ACCOUNT = '123456789012';
const PAYMENTS = `arn:aws:sts::${ACCOUNT}:assumed-role/payments-ci/gha-1`;
const SEARCH = `arn:aws:sts::${ACCOUNT}:assumed-role/search-ci/gha-2`;
const ADMIN = `arn:aws:iam::${ACCOUNT}:user/alice`;
const STRANGER = `arn:aws:iam::999999999999:user/mallory`;

let w: ApiWorld;
let handler: ReturnType<typeof handle>;
beforeAll(async () => {
  w = await createApiWorld();
  const authenticator = iamAuthenticator(
    [
      { pattern: `arn:aws:iam::${ACCOUNT}:role/payments-ci`, team: 'payments' },
      { pattern: `arn:aws:sts::${ACCOUNT}:assumed-role/search-ci/*`, team: 'search' },
      { pattern: `arn:aws:iam::${ACCOUNT}:user/*`, team: 'platform' },
    ],
    'platform',
  );
  handler = handle(createApp({ ...w.deps, authenticator }));
});
afterAll(() => w.close());

async function invoke(method: string, path: string, userArn?: string, body?: unknown) {
  // The Lambda context is unused by the app.
  const result = (await handler(
    httpApiEvent(method, path, userArn, body) as never,
    {} as never,
  )) as {
    statusCode: number;
    headers: Record<string, string>;
    body: string;
  };
  return { status: result.statusCode, headers: result.headers, body: JSON.parse(result.body) };
}

describe('API on Lambda: IAM authorization', () => {
  it('deploys as the team the assumed-role session maps to, recording the principal', async () => {
    const res = await invoke('POST', '/v1/deployments', PAYMENTS, {
      function: 'orders',
      image: IMAGE,
    });
    expect(res.status).toBe(202);
    const record = await w.store.get(res.body.id);
    expect(record?.trigger).toEqual({ kind: 'api', actor: PAYMENTS });
    await w.store.releaseLock('orders', res.body.id);
  });

  it.each([
    ['team A (payments)', PAYMENTS, 200],
    ['team B (search)', SEARCH, 403],
    ['admin (platform)', ADMIN, 200],
    ['an unmapped principal', STRANGER, 403],
    ['no principal', undefined, 401],
  ])('answers GET /v1/functions/orders for %s with %i', async (_, arn, status) => {
    const res = await invoke('GET', '/v1/functions/orders', arn);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(status === 200 ? /json/ : /problem\+json/);
  });

  it('challenges an unsigned request for SigV4', async () => {
    const res = await invoke('GET', '/v1/functions/orders');
    expect(res.headers['www-authenticate']).toBe('AWS4-HMAC-SHA256 realm="ferry"');
  });

  it('serves /healthz with no principal at all', async () => {
    expect((await invoke('GET', '/healthz')).status).toBe(200);
  });
});

/**
 * The web page as API Gateway runs it: IAM-authorized events through hono/aws-lambda, and the
 * API Lambda bundled by esbuild as the stack bundles it (JSX compiled for Hono's runtime).
 */
import { handle } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bundleApi } from '../../bench/bundle-api.ts';
import { createApp } from '../../services/api/app.ts';
import { iamAuthenticator } from '../../services/auth/iam-authenticator.ts';
import { type ApiWorld, createApiWorld } from '../api/api-world.ts';

const PAYMENTS = 'arn:aws:sts::123456789012:assumed-role/payments-ci/gha-1';
const SEARCH = 'arn:aws:sts::123456789012:assumed-role/search-ci/gha-2';

/** An HTTP API (payload v2) GET; `userArn` absent = no IAM authorizer context. */
const get = (path: string, userArn?: string) => ({
  version: '2.0',
  routeKey: `GET ${path}`,
  rawPath: path,
  rawQueryString: '',
  headers: { host: 'abc123.execute-api.eu-west-1.amazonaws.com' },
  requestContext: {
    domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
    http: {
      method: 'GET',
      path,
      protocol: 'HTTP/1.1',
      sourceIp: '192.0.2.1',
      userAgent: 'browser',
    },
    stage: '$default',
    ...(userArn ? { authorizer: { iam: { userArn } } } : {}),
  },
  isBase64Encoded: false,
});

type Result = { statusCode: number; headers: Record<string, string>; body: string };

let w: ApiWorld;
beforeAll(async () => {
  w = await createApiWorld();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await w.close();
});

describe('Web page on Lambda (IAM)', () => {
  it('shows a signed caller its team’s functions and refuses another team’s', async () => {
    const authenticator = iamAuthenticator(
      [
        { pattern: 'arn:aws:iam::123456789012:role/payments-ci', team: 'payments' },
        { pattern: 'arn:aws:iam::123456789012:role/search-ci', team: 'search' },
      ],
      'platform',
    );
    const handler = handle(createApp({ ...w.deps, authenticator }));
    const call = async (path: string, arn?: string) =>
      (await handler(get(path, arn) as never, {} as never)) as Result;

    const index = await call('/', PAYMENTS);
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.body).toContain('href="/functions/orders"');
    expect(index.body).toContain(PAYMENTS);
    expect(index.body).not.toContain('Sign out'); // no cookie session on AWS

    expect((await call('/functions/orders', SEARCH)).statusCode).toBe(403);
    expect((await call('/functions/orders')).statusCode).toBe(401);
  });

  it('renders pages from the esbuild bundle of the API Lambda', async () => {
    const { file } = await bundleApi();
    const env = {
      FERRY_TABLE_NAME: 'unused',
      FERRY_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:ferry',
      FERRY_LOCK_TTL_SECONDS: '4200',
      FERRY_PRINCIPAL_TEAMS: '{}',
      FERRY_CURSOR_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ferry-cursor',
      AWS_REGION: 'eu-west-1',
    };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    const { handler } = (await import(file)) as {
      handler: (event: unknown, context: unknown) => Promise<Result>;
    };
    // Unsigned: answered before any AWS call, from components compiled into the bundle.
    const res = await handler(get('/'), {});
    expect(res.statusCode).toBe(401);
    expect(res.body).toMatch(/^<!DOCTYPE html><html lang="en">/);
    expect(res.body).toContain('<h1>Sign-in required</h1>');
  }, 60_000);
});

/** GET /v1/whoami and GET /v1/doctor through the real app (dynalite store, faked target). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaPullStatement } from '../../services/core/pull-policy.ts';
import { FakeFunctions } from '../fakes/fake-functions.ts';
import { FakeTargetReads } from '../fakes/fake-target-reads.ts';
import { type ApiWorld, createApiWorld, IMAGE } from './api-world.ts';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:orders';
let w: ApiWorld;
let target: FakeTargetReads;

beforeAll(async () => {
  const functions = new FakeFunctions();
  functions.createFunction('orders', IMAGE);
  target = new FakeTargetReads();
  target.tags.set(ARN, { 'ferry:managed': 'true' });
  target.policies.set(
    'team/orders',
    JSON.stringify({ Statement: [lambdaPullStatement('123456789012', 'us-east-1')] }),
  );
  w = await createApiWorld({
    watchedRepositories: ['team/orders'],
    doctor: { functions, target, optIn: { tag: true, namePrefix: null } },
  });
});
afterAll(() => w.close());

describe('GET /v1/whoami', () => {
  it('answers who the API takes the caller for', async () => {
    const res = await w.call('payments', 'GET', '/v1/whoami');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      principal: expect.stringMatching(/^token:payments:/),
      team: 'payments',
      admin: false,
    });
    expect((await w.call('platform', 'GET', '/v1/whoami')).body).toMatchObject({ admin: true });
  });
});

describe('GET /v1/doctor', () => {
  it('passes every check of a function ready for its first deployment', async () => {
    const res = await w.call('payments', 'GET', '/v1/doctor?function=orders');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ function: 'orders', ok: true });
    expect((res.body.checks as Array<{ check: string }>).map((c) => c.check)).toEqual([
      'slack',
      'registered',
      'exists',
      'package-type',
      'architecture',
      'opt-in',
      'alias',
      'repository',
      'lambda-pull',
    ]);
  });

  it('is not ok when a check fails, and says how to fix it', async () => {
    target.tags.set(ARN, {});
    try {
      const res = await w.call('payments', 'GET', '/v1/doctor?function=orders');
      expect(res.body.ok).toBe(false);
      expect(res.body.checks).toContainEqual({
        check: 'opt-in',
        ok: false,
        detail: 'orders is not tagged ferry:managed=true',
        fix: expect.stringMatching(/aws lambda tag-resource/),
      });
    } finally {
      target.tags.set(ARN, { 'ferry:managed': 'true' });
    }
  });

  it('checks the stack alone without a function', async () => {
    const res = await w.call('search', 'GET', '/v1/doctor');
    expect(res.body).toEqual({
      ok: true,
      checks: [{ check: 'slack', ok: true, detail: 'the Slack secret has a signing secret' }],
    });
  });

  it("refuses another team's function with a problem", async () => {
    const res = await w.call('search', 'GET', '/v1/doctor?function=orders');
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, createApiWorld, IMAGE } from './api-world.ts';

let w: ApiWorld;
beforeAll(async () => {
  w = await createApiWorld();
});
afterAll(() => w.close());

describe('API: deployments', () => {
  it('accepts a deployment, starts its workflow once and serves it', async () => {
    const res = await w.call('payments', 'POST', '/v1/deployments', {
      function: 'orders',
      image: IMAGE,
      reason: 'v2',
    });
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    expect(res.body).toMatchObject({ status: 'PENDING', links: { self: `/v1/deployments/${id}` } });
    expect(w.workflow.started).toEqual([id]);
    const got = await w.call('payments', 'GET', `/v1/deployments/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      id,
      functionName: 'orders',
      status: 'PENDING',
      team: 'payments',
      trigger: { kind: 'api' },
    });
    expect((await w.store.getLock('orders'))?.owner).toBe(id);
  });
});

/** POST /v1/functions/{name}/rollback: which release it picks, and every reason it refuses. */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiWorld, createApiWorld } from './api-world.ts';

let w: ApiWorld;
beforeEach(async () => {
  await w?.close();
  w = await createApiWorld();
});
afterAll(() => w.close());

const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/orders';
const digest = (c: string) => `sha256:${c.repeat(64)}`;

/** Records a finished deployment of `fn` released from `imageUri` with digest `c`. */
async function released(c: string, options: { fn?: string; imageUri?: string } = {}) {
  const fn = options.fn ?? 'orders';
  const res = await w.call('platform', 'POST', '/v1/deployments', {
    function: fn,
    image: `${REPO}@${digest(c)}`,
  });
  const id = res.body.id as string;
  await w.store.update(id, {
    status: 'SUCCEEDED',
    release: {
      version: c,
      digest: digest(c),
      imageUri: options.imageUri ?? `${REPO}@${digest(c)}`,
    },
  });
  await w.store.releaseLock(fn, id);
  return id;
}

const rollback = (body: unknown) =>
  w.call('payments', 'POST', '/v1/functions/orders/rollback', body);

describe('API: rollback', () => {
  it('pins the target by digest even when it was released from a tag', async () => {
    await released('a', { imageUri: `${REPO}:v1` });
    await released('b');
    const res = await rollback({ reason: 'v2 breaks checkout' });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe(`/v1/deployments/${res.body.id}`);
    expect(await w.store.get(res.body.id as string)).toMatchObject({
      trigger: { kind: 'rollback', actor: expect.stringMatching(/^token:payments:/) },
      request: { image: `${REPO}@${digest('a')}`, reason: 'v2 breaks checkout' },
    });
    expect(w.workflow.started.at(-1)).toBe(res.body.id);
  });

  it('refuses to roll back to the release that is live already', async () => {
    await released('a');
    const live = await released('b');
    const res = await rollback({ to: live });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      type: 'urn:ferry:problem:nothing-to-roll-back-to',
      detail: expect.stringMatching(/live already/),
    });
  });

  it.each([
    ['an unknown deployment', 'd-01JDX3Q4ZJ8M2V7N5K1R9T6W3A', 404, 'not-found'],
    ['a malformed id', 'latest', 400, 'validation'],
  ])('answers `to` naming %s with %i', async (_, to, status, kind) => {
    await released('a');
    const before = w.workflow.started.length;
    const res = await rollback({ to });
    expect(res.status).toBe(status);
    expect(res.body.type).toBe(`urn:ferry:problem:${kind}`);
    expect(w.workflow.started).toHaveLength(before);
  });

  it("answers `to` naming another function's deployment with 404", async () => {
    await w.call('platform', 'PUT', '/v1/functions/billing', { team: 'payments' });
    const other = await released('c', { fn: 'billing' });
    await released('a');
    await released('b');
    const res = await rollback({ to: other });
    expect(res.status).toBe(404);
    expect(res.body.detail).toBe(`no deployment ${other} of orders`);
  });

  it('answers 409 deployment-in-progress while another deployment holds the lock', async () => {
    await released('a');
    await released('b');
    const running = await w.call('payments', 'POST', '/v1/deployments', {
      function: 'orders',
      image: `${REPO}@${digest('c')}`,
    });
    const res = await rollback({});
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      type: 'urn:ferry:problem:deployment-in-progress',
      holder: running.body.id,
    });
  });

  it('says there is nothing yet when the function has no successful release', async () => {
    const res = await rollback({});
    expect(res.status).toBe(409);
    expect(res.body.detail).toBe(
      'orders has no successful Ferry release yet: nothing to roll back to',
    );
  });
  it('refuses a rollback to a release whose image ferry gc removed, before anything starts', async () => {
    const old = await released('a');
    await released('b');
    await w.store.update(old, { imageCollectedAt: '2026-11-30T03:00:00.000Z' });
    const before = w.workflow.started.length;
    for (const body of [{ to: old }, {}]) {
      const res = await rollback(body);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        type: 'urn:ferry:problem:image-collected',
        id: old,
        detail: expect.stringContaining('removed by ferry gc at 2026-11-30T03:00:00.000Z'),
      });
    }
    expect(w.workflow.started).toHaveLength(before);
    expect(await w.store.getLock('orders')).toBeNull();
  });
});

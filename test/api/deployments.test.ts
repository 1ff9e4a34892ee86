import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiWorld, createApiWorld, IMAGE } from './api-world.ts';

let w: ApiWorld;
beforeEach(async () => {
  await w?.close();
  w = await createApiWorld();
});
afterAll(() => w.close());

const body = { function: 'orders', image: IMAGE };
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const uri = (c: string) => `123456789012.dkr.ecr.us-east-1.amazonaws.com/team/orders@${digest(c)}`;

/** Records a finished release of `orders` (as the workflow would have). */
async function released(status: 'SUCCEEDED' | 'ROLLED_BACK', c: string): Promise<string> {
  const res = await w.call('payments', 'POST', '/v1/deployments', {
    function: 'orders',
    image: uri(c),
  });
  const id = res.body.id as string;
  await w.store.update(id, {
    status,
    release: { version: c, digest: digest(c), imageUri: uri(c) },
  });
  await w.store.releaseLock('orders', id);
  return id;
}

describe('API: idempotency', () => {
  it('returns the same deployment for the same key and body, and starts it once', async () => {
    const first = await w.call('payments', 'POST', '/v1/deployments', body, {
      'idempotency-key': 'ci-run-42',
    });
    const again = await w.call('payments', 'POST', '/v1/deployments', body, {
      'idempotency-key': 'ci-run-42',
    });
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(w.workflow.started).toEqual([first.body.id]);
  });

  it('answers 422 for the same key with a different body', async () => {
    await w.call('payments', 'POST', '/v1/deployments', body, { 'idempotency-key': 'k1' });
    const res = await w.call(
      'payments',
      'POST',
      '/v1/deployments',
      { ...body, reason: 'other' },
      { 'idempotency-key': 'k1' },
    );
    expect(res.status).toBe(422);
    expect(res.body.type).toBe('urn:ferry:problem:idempotency-key-reuse');
    expect(w.workflow.started).toHaveLength(1);
  });

  it('keeps the keys of different teams apart', async () => {
    await w.store.putSettings('catalog', {
      ...(await w.store.getSettings('orders')),
      team: 'search',
    } as never);
    const a = await w.call('payments', 'POST', '/v1/deployments', body, {
      'idempotency-key': 'same',
    });
    const b = await w.call(
      'search',
      'POST',
      '/v1/deployments',
      { ...body, function: 'catalog' },
      { 'idempotency-key': 'same' },
    );
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body.id).not.toBe(b.body.id);
  });
});

describe('API: concurrency', () => {
  it('runs exactly one of ten concurrent deployments of one function; the rest get 409, none lost', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        w.call('payments', 'POST', '/v1/deployments', { ...body, reason: `r${i}` }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([202, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    const winner = results.find((r) => r.status === 202)?.body.id;
    expect(w.workflow.started).toEqual([winner]);
    for (const loser of results.filter((r) => r.status === 409)) {
      expect(loser.body).toMatchObject({
        type: 'urn:ferry:problem:deployment-in-progress',
        holder: winner,
      });
    }
    expect((await w.store.listByFunction('orders')).items.map((d) => d.id)).toEqual([winner]);
  });

  it('replays, not 409s, concurrent retries that share an idempotency key', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        w.call('payments', 'POST', '/v1/deployments', body, { 'idempotency-key': 'retry' }),
      ),
    );
    const ids = new Set(results.filter((r) => r.status < 300).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(w.workflow.started).toHaveLength(1);
    expect(results.every((r) => r.status === 200 || r.status === 202 || r.status === 409)).toBe(
      true,
    );
  });
});

describe('API: workflow start failure', () => {
  it('marks the deployment FAILED, releases the lock and answers 503', async () => {
    w.workflow.fail = true;
    const res = await w.call('payments', 'POST', '/v1/deployments', body);
    expect(res.status).toBe(503);
    const d = await w.store.get(res.body.id as string);
    expect(d).toMatchObject({
      status: 'FAILED',
      reason: expect.stringMatching(/could not be started/),
    });
    expect(await w.store.getLock('orders')).toBeNull();
  });
});

describe('API: rollback', () => {
  it('rolls back to the newest earlier successful digest', async () => {
    await released('SUCCEEDED', 'a');
    const b = await released('SUCCEEDED', 'b');
    await released('ROLLED_BACK', 'c');
    await released('SUCCEEDED', 'd');
    const res = await w.call('payments', 'POST', '/v1/functions/orders/rollback', {});
    expect(res.status).toBe(202);
    const d = await w.store.get(res.body.id as string);
    expect(d).toMatchObject({
      trigger: { kind: 'rollback' },
      request: { image: uri('b'), reason: `rollback to ${b}` },
    });
  });

  it('rolls back to a named successful deployment, and refuses a failed one', async () => {
    const a = await released('SUCCEEDED', 'a');
    const c = await released('ROLLED_BACK', 'c');
    await released('SUCCEEDED', 'd');
    const bad = await w.call('payments', 'POST', '/v1/functions/orders/rollback', { to: c });
    expect(bad.status).toBe(409);
    const ok = await w.call('payments', 'POST', '/v1/functions/orders/rollback', { to: a });
    expect(ok.status).toBe(202);
    expect((await w.store.get(ok.body.id as string))?.request.image).toBe(uri('a'));
  });

  it('says why when there is nothing to roll back to', async () => {
    await released('SUCCEEDED', 'a');
    const res = await w.call('payments', 'POST', '/v1/functions/orders/rollback', {});
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ type: 'urn:ferry:problem:nothing-to-roll-back-to' });
    expect(res.body.detail).toMatch(/no earlier successful release/);
  });
});

describe('API: OpenAPI document', () => {
  it('describes every route from the same schemas', async () => {
    const res = await w.call('payments', 'GET', '/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/v1/deployments',
      '/v1/deployments/{id}',
      '/v1/deployments/{id}/abort',
      '/v1/deployments/{id}/approve',
      '/v1/deployments/{id}/build-log',
      '/v1/doctor',
      '/v1/functions',
      '/v1/functions/{name}',
      '/v1/functions/{name}/deployments',
      '/v1/functions/{name}/logs',
      '/v1/functions/{name}/rollback',
      '/v1/functions/{name}/rollouts',
      '/v1/gc',
      '/v1/rules/{repository}',
      '/v1/slack-users',
      '/v1/slack-users/{userId}',
      '/v1/tokens',
      '/v1/tokens/{id}',
      '/v1/whoami',
    ]);
    expect(Object.keys(doc.paths['/v1/functions/{name}'] ?? {}).sort()).toEqual(['get', 'put']);
    expect(doc.components.schemas).toHaveProperty('DeploymentRequest');
    expect(doc.components.schemas).toHaveProperty('Problem');
  });
});

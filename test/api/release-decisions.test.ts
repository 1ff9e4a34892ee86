/**
 * Gradual releases at the API: a deployment's `release` override, settings' release strategy in
 * its explicit form, and approve/abort over the real store (dynalite) with the workflow's
 * callbacks recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDeploymentId } from '../../services/core/ids.ts';
import { type ApiWorld, createApiWorld, IMAGE } from './api-world.ts';
import { inRelease } from './response-cases/fixtures.ts';

let w: ApiWorld;
beforeAll(async () => {
  w = await createApiWorld();
});
afterAll(() => w.close());

/** A RUNNING deployment of `orders` in `phase`, with the hold its workflow task would keep. */
async function waiting(phase: 'holding' | 'awaiting-approval'): Promise<string> {
  const id = newDeploymentId();
  await w.store.create(inRelease(id, phase));
  await w.store.putHold({
    deploymentId: id,
    kind: phase === 'holding' ? 'step' : 'approval',
    token: `token-${id}`,
    since: new Date().toISOString(),
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
  });
  return id;
}

const resumedFor = (id: string) =>
  w.callbacks.resumed.filter((r) => r.token === `token-${id}`).map((r) => r.decision);

describe('API: a deployment with its own release strategy', () => {
  it('stores a CodeDeploy name as the explicit strategy it stands for', async () => {
    const res = await w.call('payments', 'POST', '/v1/deployments', {
      function: 'orders',
      image: IMAGE,
      release: 'Linear10PercentEvery2Minutes',
    });
    expect(res.status).toBe(202);
    const stored = await w.store.get(res.body.id as string);
    expect(stored?.request.release).toEqual({
      strategy: 'linear',
      percent: 10,
      intervalSeconds: 120,
    });
    await w.store.releaseLock('orders', res.body.id as string);
  });

  it('refuses an unknown strategy with a 400 naming the field, and records nothing', async () => {
    const started = w.workflow.started.length;
    const res = await w.call('payments', 'POST', '/v1/deployments', {
      function: 'orders',
      image: IMAGE,
      release: 'Canary50Percent1Minute',
    });
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('urn:ferry:problem:validation');
    expect(res.body.errors).toEqual([
      { path: 'release', message: expect.stringMatching(/unknown release strategy/) },
    ]);
    expect(w.workflow.started.length).toBe(started);
    expect(await w.store.getLock('orders')).toBeNull();
  });

  it('refuses an explicit strategy with a bad percent, naming it', async () => {
    const res = await w.call('payments', 'POST', '/v1/deployments', {
      function: 'orders',
      image: IMAGE,
      release: { strategy: 'canary', percent: 100, intervalSeconds: 60 },
    });
    expect(res.status).toBe(400);
    expect(String(res.body.detail)).toMatch(
      /release\.percent: must be a whole number from 1 to 99/,
    );
  });
});

describe('API: release settings', () => {
  it('answers the stored settings with the strategy in its explicit form', async () => {
    const res = await w.call('platform', 'PUT', '/v1/functions/canaried', {
      team: 'payments',
      release: 'Canary10Percent15Minutes',
      approval: { required: true },
      provisionedConcurrency: 3,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      release: { strategy: 'canary', percent: 10, intervalSeconds: 900 },
      approval: { required: true, timeoutSeconds: 3600 },
      provisionedConcurrency: 3,
      judge: { minInvocations: 10, onTooFewInvocations: 'extend' },
    });
    const read = await w.call('payments', 'GET', '/v1/functions/canaried');
    expect(read.body.release).toEqual(res.body.release);
  });

  it('refuses a bad release setting with a 400 and keeps the stored settings', async () => {
    const res = await w.call('platform', 'PUT', '/v1/functions/canaried', {
      team: 'payments',
      release: { strategy: 'blue-green' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'release', message: expect.any(String) }]);
    expect((await w.store.getSettings('canaried'))?.release.strategy).toBe('canary');
  });
});

describe('API: approve and abort', () => {
  it('approves a deployment waiting for its approval (202, no body needed)', async () => {
    const id = await waiting('awaiting-approval');
    const res = await w.call('payments', 'POST', `/v1/deployments/${id}/approve`);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      id,
      approval: { by: expect.stringMatching(/^token:payments:/) },
      links: { self: `/v1/deployments/${id}` },
    });
    expect(resumedFor(id)).toEqual([
      { action: 'approve', by: (res.body.approval as { by: string }).by },
    ]);
  });

  it('answers 409 not-awaiting-approval for a deployment holding a step, resuming nothing', async () => {
    const id = await waiting('holding');
    const res = await w.call('payments', 'POST', `/v1/deployments/${id}/approve`);
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({ type: 'urn:ferry:problem:not-awaiting-approval', id });
    expect(resumedFor(id)).toEqual([]);
  });

  it('aborts: the record first, then the hold resumed with abort; a repeat answers 202 again', async () => {
    const id = await waiting('holding');
    const first = await w.call('payments', 'POST', `/v1/deployments/${id}/abort`);
    expect(first.status).toBe(202);
    expect((await w.store.get(id))?.abort?.by).toMatch(/^token:payments:/);
    const again = await w.call('platform', 'POST', `/v1/deployments/${id}/abort`);
    expect(again.status).toBe(202);
    expect(again.body.abort).toEqual(first.body.abort);
    expect(resumedFor(id)).toEqual([
      { action: 'abort', by: (first.body.abort as { by: string }).by },
    ]);
  });

  it('answers 409 already-aborted to an approve after an abort', async () => {
    const id = await waiting('awaiting-approval');
    await w.call('payments', 'POST', `/v1/deployments/${id}/abort`);
    const res = await w.call('payments', 'POST', `/v1/deployments/${id}/approve`);
    expect(res.status).toBe(409);
    expect(res.body.type).toBe('urn:ferry:problem:already-aborted');
  });

  it('answers 409 not-running for a deployment that has ended', async () => {
    const id = await waiting('holding');
    await w.store.update(id, { status: 'SUCCEEDED' });
    const res = await w.call('payments', 'POST', `/v1/deployments/${id}/abort`);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ type: 'urn:ferry:problem:not-running', id });
    expect((await w.store.get(id))?.abort).toBeUndefined();
  });

  it('refuses another team (403) and unknown ids (404), changing nothing', async () => {
    const id = await waiting('holding');
    expect((await w.call('search', 'POST', `/v1/deployments/${id}/abort`)).status).toBe(403);
    expect((await w.store.get(id))?.abort).toBeUndefined();
    expect(
      (await w.call('payments', 'POST', `/v1/deployments/${newDeploymentId()}/abort`)).status,
    ).toBe(404);
    expect((await w.call('payments', 'POST', '/v1/deployments/not-an-id/approve')).status).toBe(
      404,
    );
  });
});

/** POST /v1/gc over the real store: a dry run changes nothing, a run removes and marks the history. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseTag } from '../../services/core/workflow.ts';
import { hexOf, image, releaseOf, uriOf, version } from '../support/gc-fixtures.ts';
import { type ApiWorld, createApiWorld } from './api-world.ts';

let w: ApiWorld;
const idOf = (n: number) => `d-01JDQ4Z9X8M2N3P4Q5R6S7T8V${n}`;
beforeAll(async () => {
  w = await createApiWorld();
  // `orders` released images 1..5 as versions 1..5 in May; `live` → 5.
  for (let n = 1; n <= 5; n++) {
    const at = `2026-05-0${n}T00:00:00.000Z`;
    await w.store.create(releaseOf(idOf(n), n, String(n), { createdAt: at, updatedAt: at }));
    w.gc.images.add(image(n, [releaseTag(idOf(n))]));
  }
  w.gc.functions.set('orders', {
    latest: { resolvedImageUri: uriOf(5), codeSha256: hexOf(5) },
    versions: [1, 2, 3, 4, 5].map((n) => version(n, n)),
    aliases: [{ name: 'live', routing: { version: '5', additional: null } }],
    provisionedQualifiers: [],
  });
});
afterAll(() => w.close());

describe('API: gc', () => {
  it('lists what would go on a dry run and changes nothing', async () => {
    const res = await w.call('platform', 'POST', '/v1/gc', { dryRun: true, rollbackDepth: 2 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, policy: { rollbackDepth: 2 } });
    expect((res.body.versions as { version: string }[]).map((v) => v.version)).toEqual([
      '1',
      '2',
      '3',
    ]);
    expect(w.gc.functions.deleted).toEqual([]);
    const d1 = await w.call('platform', 'GET', `/v1/deployments/${idOf(1)}`);
    expect(d1.status).toBe(200);
    expect(d1.body).not.toHaveProperty('versionCollectedAt');
  });

  it('removes versions, then their images, and the deployment JSON says when', async () => {
    const run = await w.call('platform', 'POST', '/v1/gc', { rollbackDepth: 2 });
    expect(run.status).toBe(200);
    expect(w.gc.functions.deleted.map((d) => d.version)).toEqual(['1', '2', '3']);
    expect(run.body).toMatchObject({ bytesReclaimed: 600 });
    const d1 = (await w.call('platform', 'GET', `/v1/deployments/${idOf(1)}`)).body;
    expect(d1).toMatchObject({
      imageCollectedAt: expect.any(String),
      versionCollectedAt: expect.any(String),
    });
    const d4 = await w.call('platform', 'GET', `/v1/deployments/${idOf(4)}`);
    expect(d4.status).toBe(200);
    expect(d4.body).not.toHaveProperty('imageCollectedAt');
  });

  it('answers a policy field out of bounds with problem+json and runs nothing', async () => {
    const calls = w.gc.functions.calls;
    const res = await w.call('platform', 'POST', '/v1/gc', { rollbackDepth: 0 });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.type).toBe('urn:ferry:problem:validation');
    expect(w.gc.functions.calls).toBe(calls);
  });
});

/**
 * Three ways the cold-start gate went wrong, each on the real ASL with the in-memory fakes: one
 * noisy sample rejected a working image, a re-run dodged a rejection on a warm version, and a
 * rollback to an earlier good release was judged against the (newer) release it replaces.
 */
import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../services/core/deployment.ts';
import { APP_REPO, appRef, createWorld, FN, REGISTRY, type World } from './world.ts';

/** An Init Duration per invoke, in order: the first invoke gets the first figure, and so on. */
function initSequence(world: World, digest: string, figures: readonly number[]): void {
  let i = 0;
  world.functions.behaviors.set(digest, () => ({
    payload: { ok: true },
    initDurationMs: figures[Math.min(i++, figures.length - 1)] as number,
  }));
}

/** Records an earlier SUCCEEDED release of `digest` (what `rollback --to` names). */
async function recordEarlierRelease(world: World, digest: string): Promise<string> {
  const at = new Date(world.clock.now().getTime() - 86_400_000).toISOString();
  const id = `d-${'0'.repeat(25)}0`;
  const earlier: Deployment = {
    id,
    functionName: FN,
    status: 'SUCCEEDED',
    createdAt: at,
    updatedAt: at,
    trigger: { kind: 'api' },
    request: { image: appRef('v0') },
    steps: [],
    release: { version: '1', digest, imageUri: `${REGISTRY}/${APP_REPO}@${digest}` },
  };
  await world.store.create(earlier);
  return id;
}

/** Files a rollback to `digest` as the API's rollback route does (trigger kind `rollback`). */
async function requestRollback(world: World, digest: string, to: string): Promise<string> {
  const now = world.clock.now().toISOString();
  const id = `d-ROLLBACK${'0'.repeat(17)}1`;
  await world.store.create({
    id,
    functionName: FN,
    status: 'PENDING',
    createdAt: now,
    updatedAt: now,
    trigger: { kind: 'rollback', actor: 'arn:aws:iam::123456789012:role/ci' },
    request: { image: `${REGISTRY}/${APP_REPO}@${digest}`, reason: `rollback to ${to}` },
    steps: [],
  });
  return id;
}

describe('Workflow: cold-start gate regressions', () => {
  it('does not reject an image with the live start-up cost because one cold start was slow', async () => {
    // Default gate (1.5× beyond 100 ms). The live release starts in about 40 ms; the new image
    // too, but its first sample landed while the machine was busy.
    const world = createWorld();
    await world.recordLiveInit(40.6);
    const digest = world.pushApp('v2');
    initSequence(world, digest, [157.9, 41.2, 39.8, 44.0, 38.9, 40.1, 42.5]);
    const id = await world.request({ image: appRef('v2') });

    await world.run(id);

    const d = await world.record(id);
    expect(d.status, d.reason).toBe('SUCCEEDED');
    expect(d.smoke?.gates?.[0]).toMatchObject({ gate: 'init-growth', outcome: 'passed' });
  });

  it('keeps a rejected digest rejected when it is deployed again onto its warm version', async () => {
    const world = createWorld();
    await world.recordLiveInit(23.1);
    const digest = world.pushApp('slow');
    initSequence(world, digest, [2026.8, 2031.5, 2019.9, 2040.2, 2024.4, 2022.0]);
    const first = await world.request({ image: appRef('slow') });
    await world.run(first);
    expect((await world.record(first)).status).toBe('REJECTED');

    world.clock.advance(5000);
    const again = await world.request({ image: appRef('slow') });
    await world.run(again);

    const d = await world.record(again);
    expect(d.status).toBe('REJECTED');
    expect(d.reason).toMatch(/init-growth gate failed/);
    expect((await world.functionState()).aliasDigest).toBe(world.liveDigest);
  });

  it('rolls back to an earlier release whose cold start is slower than the live one', async () => {
    const world = createWorld();
    await world.recordLiveInit(200);
    const earlierDigest = world.pushApp('v0');
    const earlier = await recordEarlierRelease(world, earlierDigest);
    initSequence(world, earlierDigest, [900]);
    const id = await requestRollback(world, earlierDigest, earlier);

    await world.run(id);

    const d = await world.record(id);
    expect(d.status, d.reason).toBe('SUCCEEDED');
    expect((await world.functionState()).aliasDigest).toBe(earlierDigest);
    // The figures are still reported.
    expect(d.smoke?.gates?.[0]).toMatchObject({ gate: 'init-growth', value: 900, live: 200 });
  });

  it('rolls back to an earlier release that was bigger than the live one', async () => {
    const world = createWorld();
    const earlierDigest = world.pushApp('v0', {
      layers: [{ sizeBytes: 90_000_000, createdBy: 'COPY / /' }],
    });
    const earlier = await recordEarlierRelease(world, earlierDigest);
    const id = await requestRollback(world, earlierDigest, earlier);

    await world.run(id);

    const d = await world.record(id);
    expect(d.status, d.reason).toBe('SUCCEEDED');
    expect(d.scan?.gates?.[0]).toMatchObject({ gate: 'size-growth', outcome: 'failed' });
  });

  it('still rejects a rollback target over a hard limit: the function architecture', async () => {
    const world = createWorld();
    const earlierDigest = world.pushApp('v0', { architecture: 'arm64' });
    const earlier = await recordEarlierRelease(world, earlierDigest);
    const id = await requestRollback(world, earlierDigest, earlier);

    await world.run(id);

    const d = await world.record(id);
    expect(d.status).toBe('REJECTED');
    expect(d.reason).toMatch(/image is built for arm64 but the function runs x86_64/);
  });
});

/**
 * The cold-start verdict on the real ASL with the in-memory fakes: several cold starts per
 * version, the live version measured beside the new one where the port can, verdicts kept per
 * digest, and inconclusive measurements blocking only when the settings say so.
 */
import { describe, expect, it } from 'vitest';
import { appRef, createWorld, FN, type World } from './world.ts';

/** An Init Duration per invoke of `digest`, in order (the last one repeats). */
function initSequence(world: World, digest: string, figures: readonly number[]): void {
  let i = 0;
  world.functions.behaviors.set(digest, () => ({
    payload: { ok: true },
    initDurationMs: figures[Math.min(i++, figures.length - 1)] as number,
  }));
}

async function deploy(world: World, tag: string) {
  const id = await world.request({ image: appRef(tag) });
  await world.run(id);
  return world.record(id);
}

describe('Workflow: cold-start verdicts', () => {
  it('measures the new version five times at once and records the samples as the live baseline', async () => {
    const world = createWorld();
    await world.recordLiveInit(150, [148, 150, 151, 149, 152]);
    const digest = world.pushApp('v2');
    initSequence(world, digest, [160, 158, 171, 162, 159]);

    const d = await deploy(world, 'v2');

    expect(d.status).toBe('SUCCEEDED');
    expect(d.smoke).toMatchObject({
      initDurationMs: 160,
      coldStarts: { n: 5, medianMs: 160, q1Ms: 159, q3Ms: 162 },
    });
    expect(d.smoke?.gates?.[0]?.summary).toContain(
      'median Init Duration 160.0 ms (IQR 159.0–162.0, n=5) vs live 150.0 ms (IQR 149.0–151.0, n=5, recorded)',
    );
    expect((await world.store.getLive(FN))?.coldStart).toMatchObject({ n: 5, medianMs: 160 });
  });

  it('prefers the live version measured side by side over its recorded figures', async () => {
    // Recorded when the machine was idle: 40 ms. Now both versions start in about 150 ms.
    const world = createWorld({ pairedColdStarts: true });
    await world.recordLiveInit(40, [40, 40, 41, 39, 40]);
    const digest = world.pushApp('v2');
    initSequence(world, digest, [160, 158, 171, 162, 159]);

    const d = await deploy(world, 'v2');

    expect(d.status, d.reason).toBe('SUCCEEDED');
    const gate = d.smoke?.gates?.[0];
    expect(gate).toMatchObject({ outcome: 'passed', baseline: 'paired', live: 150 });
    expect(gate?.summary).toContain('vs live 150.0 ms (IQR 150.0–150.0, n=5, paired)');
  });

  it('reuses a passed verdict when the same digest is deployed again onto its warm version', async () => {
    const world = createWorld();
    await world.recordLiveInit(150, [150, 150, 150, 150, 150]);
    world.pushApp('v2');
    const first = await deploy(world, 'v2');
    expect(first.status).toBe('SUCCEEDED');

    const again = await deploy(world, 'v2');

    expect(again.status, again.reason).toBe('SUCCEEDED');
    expect(again.release?.version).toBe(first.release?.version); // the same, warm version
    const gate = again.smoke?.gates?.[0];
    expect(gate).toMatchObject({ outcome: 'passed', reusedFrom: first.id });
    expect(gate?.summary).toContain(`the verdict ${first.id} recorded for this digest`);
    expect(again.smoke?.coldStarts).toEqual(first.smoke?.coldStarts);
  });

  it('judges a rejected digest again once its cold-start settings change', async () => {
    const world = createWorld({ pairedColdStarts: true });
    const digest = world.pushApp('slow');
    initSequence(world, digest, [900]);
    expect((await deploy(world, 'slow')).status).toBe('REJECTED');
    expect((await deploy(world, 'slow')).status).toBe('REJECTED');

    const settings = await world.store.getSettings(FN);
    if (!settings) throw new Error('no settings');
    await world.store.putSettings(FN, {
      ...settings,
      coldStart: { ...settings.coldStart, maxInitGrowthRatio: 10 },
    });
    const d = await deploy(world, 'slow');

    expect(d.status, d.reason).toBe('SUCCEEDED');
    expect(d.smoke?.gates?.[0]).toMatchObject({ outcome: 'passed', maxRatio: 10 });
    expect(d.smoke?.gates?.[0]?.reusedFrom).toBeUndefined();
  });

  it('records an inconclusive measurement and blocks on it only when the settings say so', async () => {
    // The medians are 400 vs 220 ms, but the new lower quartile (150 ms) is under the live upper one.
    const spread = [100, 150, 400, 420, 430];
    const lenient = createWorld();
    await lenient.recordLiveInit(220, [200, 210, 220, 230, 240]);
    initSequence(lenient, lenient.pushApp('v2'), spread);
    const passed = await deploy(lenient, 'v2');
    expect(passed.status).toBe('SUCCEEDED');
    expect(passed.smoke?.gates?.[0]).toMatchObject({ outcome: 'inconclusive', blocks: false });

    const strict = createWorld({ settings: { coldStart: { inconclusiveBlocks: true } } });
    await strict.recordLiveInit(220, [200, 210, 220, 230, 240]);
    initSequence(strict, strict.pushApp('v2'), spread);
    const rejected = await deploy(strict, 'v2');
    expect(rejected.status).toBe('REJECTED');
    expect(rejected.reason).toMatch(
      /^init-growth gate inconclusive: median Init Duration 400\.0 ms/,
    );
    expect((await strict.functionState()).aliasDigest).toBe(strict.liveDigest);
  });
});

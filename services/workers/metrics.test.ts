/**
 * What the workers' cores count through the Metrics port (the figures the stack alarms and charts
 * on): a deployment's outcome once, a scanned image's size, a new version's reported Init Duration.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  createWorkerWorld,
  FN,
  planDeployment,
  publishNewVersion,
  resolvedImage,
  seedDeployment,
  workflowState,
} from '../../test/support/workflow-state.ts';
import { TransientError } from '../core/errors.ts';
import { finalize, finalizeInputSchema } from './finalize/core.ts';
import { parseInput } from './parse-input.ts';
import { scanImage, scanImageInputSchema } from './scan-image/core.ts';
import { smokeInvoke, smokeInvokeInputSchema } from './smoke-invoke/core.ts';

async function finalizeWorld(outcome: 'SUCCEEDED' | 'ROLLBACK_FAILED') {
  const world = createWorkerWorld();
  await seedDeployment(world);
  const plan = await planDeployment(world);
  const state = workflowState(world, plan, { final: { outcome }, smoke: { passed: true } });
  return { world, input: parseInput('Finalize', finalizeInputSchema, state) };
}

async function smokeWorld(initDurationMs: number | undefined) {
  const world = createWorkerWorld();
  await seedDeployment(world);
  const plan = await planDeployment(world);
  world.functions.behaviors.set(world.newDigest, () => ({
    payload: { statusCode: 200 },
    ...(initDurationMs === undefined ? {} : { initDurationMs }),
  }));
  const version = await publishNewVersion(world);
  const input = parseInput('SmokeInvoke', smokeInvokeInputSchema, {
    deploymentId: world.id,
    functionName: FN,
    version,
    digest: world.newDigest,
    smoke: plan.smoke,
  });
  return { world, input };
}

describe('Worker metrics', () => {
  it('Finalize counts a deployment once by its status, even when it runs again', async () => {
    const { world, input } = await finalizeWorld('SUCCEEDED');
    await finalize(input, world.deps);
    await finalize(input, world.deps);
    expect(world.metrics.samples).toEqual([
      { name: 'Deployments', value: 1, dimensions: { Status: 'SUCCEEDED' } },
    ]);
  });

  it('Finalize counts it once when a failure after the status write makes it run again', async () => {
    const { world, input } = await finalizeWorld('SUCCEEDED');
    vi.spyOn(world.store, 'releaseLock').mockRejectedValueOnce(new TransientError('throttled'));
    await expect(finalize(input, world.deps)).rejects.toThrow('throttled');
    await finalize(input, world.deps);
    expect(world.metrics.samples).toEqual([
      { name: 'Deployments', value: 1, dimensions: { Status: 'SUCCEEDED' } },
    ]);
  });

  it('Finalize also counts RollbackFailed for a ROLLBACK_FAILED deployment', async () => {
    const { world, input } = await finalizeWorld('ROLLBACK_FAILED');
    await finalize(input, world.deps);
    expect(world.metrics.samples).toEqual([
      { name: 'Deployments', value: 1, dimensions: { Status: 'ROLLBACK_FAILED' } },
      { name: 'RollbackFailed', value: 1, dimensions: {} },
    ]);
  });

  it("ScanImage records the image's compressed size", async () => {
    const world = createWorkerWorld();
    await seedDeployment(world);
    const plan = await planDeployment(world);
    const input = parseInput('ScanImage', scanImageInputSchema, {
      deploymentId: world.id,
      image: resolvedImage(world),
      architecture: plan.architecture,
      policy: plan.policy,
      live: plan.live,
    });
    const report = await scanImage(input, world.deps);
    expect(world.metrics.samples).toEqual([
      { name: 'ImageCompressedBytes', value: report.compressedBytes, dimensions: {} },
    ]);
  });

  it('SmokeInvoke records the median Init Duration once, and nothing when the runtime reported none', async () => {
    const cold = await smokeWorld(320);
    await smokeInvoke(cold.input, cold.world.deps);
    expect(cold.world.metrics.samples).toEqual([
      { name: 'InitDurationMs', value: 320, dimensions: {} },
    ]);

    const warm = await smokeWorld(undefined);
    // The version's environments already ran: every invoke is warm, no Init Duration, no sample.
    await warm.world.functions.invokeConcurrently(FN, warm.input.version, '{}', 5);
    await smokeInvoke(warm.input, warm.world.deps);
    expect((await warm.world.store.get(warm.world.id))?.smoke?.initDurationMs).toBeNull();
    expect(warm.world.metrics.samples).toEqual([]);
  });
});

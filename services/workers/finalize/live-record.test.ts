import { describe, expect, it } from 'vitest';
import {
  createWorkerWorld,
  FN,
  planDeployment,
  REGISTRY,
  seedDeployment,
  type WorkerWorld,
  workflowState,
} from '../../../test/support/workflow-state.ts';
import { type ColdStartSample, sampleOf } from '../../core/cold-start.ts';
import { TransientError } from '../../core/errors.ts';
import type { PrepareResult } from '../../core/workflow.ts';
import { parseInput } from '../parse-input.ts';
import { finalize, finalizeInputSchema } from './core.ts';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const IMAGE = `${REGISTRY}/team/api@${DIGEST}`;

/** A planned deployment that released DIGEST as version 2, with its scan and smoke figures. */
async function released(initDurationMs: number | null, coldStarts?: ColdStartSample | null) {
  const world = createWorkerWorld();
  await seedDeployment(world);
  const plan = await planDeployment(world, {});
  await world.store.update(world.id, {
    release: { version: '2', digest: DIGEST, imageUri: IMAGE },
    scan: { compressedBytes: 4096 } as never,
    smoke: { passed: true, initDurationMs, ...(coldStarts ? { coldStarts } : {}) } as never,
  });
  return { world, plan };
}

const ending = (world: WorkerWorld, plan: PrepareResult, outcome: string) =>
  parseInput(
    'Finalize',
    finalizeInputSchema,
    workflowState(world, plan, { final: { outcome }, smoke: { passed: outcome === 'SUCCEEDED' } }),
  );

describe('Worker: Finalize records what is live', () => {
  it('writes the live record of a SUCCEEDED deployment with its figures', async () => {
    const { world, plan } = await released(212);

    await finalize(ending(world, plan, 'SUCCEEDED'), world.deps);

    expect(await world.store.getLive(FN)).toEqual({
      functionName: FN,
      deploymentId: world.id,
      version: '2',
      digest: DIGEST,
      imageUri: IMAGE,
      releasedAt: (await world.store.get(world.id))?.endedAt,
      compressedBytes: 4096,
      initDurationMs: 212,
      coldStart: sampleOf([212]),
    });
  });

  it('records the smoke’s cold starts: the baseline the next deployment compares with', async () => {
    const coldStarts = sampleOf([212, 209, 220, 211, 215]);
    const { world, plan } = await released(212, coldStarts);

    await finalize(ending(world, plan, 'SUCCEEDED'), world.deps);

    expect(await world.store.getLive(FN)).toMatchObject({
      initDurationMs: 212,
      coldStart: coldStarts,
    });
  });

  it('keeps the earlier cold start of the same digest when this smoke was warm', async () => {
    const { world, plan } = await released(null);
    await world.store.putLive({
      functionName: FN,
      deploymentId: 'd-01JDQ00000000000000000000A',
      version: '1',
      digest: DIGEST,
      imageUri: IMAGE,
      releasedAt: null,
      compressedBytes: 4096,
      initDurationMs: 180,
    });

    await finalize(ending(world, plan, 'SUCCEEDED'), world.deps);

    expect(await world.store.getLive(FN)).toMatchObject({
      deploymentId: world.id,
      initDurationMs: 180,
      coldStart: sampleOf([180]),
    });
  });

  it('leaves the live record alone for every other outcome', async () => {
    for (const outcome of ['FAILED', 'ROLLED_BACK', 'REJECTED', 'ROLLBACK_FAILED']) {
      const { world, plan } = await released(212);
      await finalize(ending(world, plan, outcome), world.deps);
      expect([outcome, await world.store.getLive(FN)]).toEqual([outcome, null]);
    }
  });

  it('still records it when a retry finds the status already written', async () => {
    const { world, plan } = await released(212);
    const putLive = world.store.putLive.bind(world.store);
    let failures = 1;
    world.store.putLive = async (release) => {
      if (failures-- > 0) throw new TransientError('dynamodb:PutItem live throttled');
      return putLive(release);
    };

    await expect(finalize(ending(world, plan, 'SUCCEEDED'), world.deps)).rejects.toThrow(
      TransientError,
    );
    expect((await world.store.get(world.id))?.status).toBe('SUCCEEDED');
    await finalize(ending(world, plan, 'SUCCEEDED'), world.deps);

    expect(await world.store.getLive(FN)).toMatchObject({ deploymentId: world.id });
    expect(await world.store.getLock(FN)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import {
  awsCaught,
  createWorkerWorld,
  FN,
  planDeployment,
  publishNewVersion,
  seedDeployment,
  workflowState,
} from '../../../test/support/workflow-state.ts';
import { parseInput } from '../parse-input.ts';
import { rollback, rollbackInputSchema } from './core.ts';

/** A deployment whose new version got a share of the alias's traffic before it failed. */
async function splitWorld() {
  const world = createWorkerWorld();
  await seedDeployment(world);
  const plan = await planDeployment(world);
  const version = await publishNewVersion(world);
  await world.functions.setAliasRouting(FN, 'live', {
    version: '1',
    additional: { version, weight: 0.25 },
  });
  const update = {
    version,
    codeSha256: world.newDigest.slice('sha256:'.length),
    imageUri: world.newUri,
  };
  const state = parseInput(
    'Rollback',
    rollbackInputSchema,
    workflowState(world, plan, { update, error: awsCaught('TransientError', 'judge failed') }),
  );
  return { world, state, version };
}

describe('Worker: Rollback with a weighted alias', () => {
  it('puts the alias back on the live version alone, removing the split, in one update', async () => {
    const { world, state, version } = await splitWorld();

    const result = await rollback(state, world.deps);

    expect(await world.functions.getAliasRouting(FN, 'live')).toMatchObject({
      version: '1',
      additional: null,
    });
    expect(result.restored).toContain(`alias live → version 1 (25% to version ${version} removed)`);
  });

  it('fails verification while a split is left on the alias', async () => {
    const { world, state, version } = await splitWorld();
    // Someone (or a lost write) keeps the split in place: setAlias does nothing.
    world.functions.setAlias = async () => {};

    await expect(rollback(state, world.deps)).rejects.toMatchObject({
      name: 'RollbackFailedError',
      message: expect.stringContaining(`with 25% to version ${version}`),
    });
  });
});

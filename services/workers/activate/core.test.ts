import { describe, expect, it, vi } from 'vitest';
import {
  createWorkerWorld,
  FN,
  publishNewVersion,
  seedDeployment,
  type WorkerWorld,
} from '../../../test/support/workflow-state.ts';
import { TransientError } from '../../core/errors.ts';
import { parseInput } from '../parse-input.ts';
import { activate, activateInputSchema } from './core.ts';

async function setup(world: WorkerWorld) {
  await seedDeployment(world);
  const version = await publishNewVersion(world);
  const input = parseInput('Activate', activateInputSchema, {
    deploymentId: world.id,
    functionName: FN,
    alias: 'live',
    version,
  });
  return { input, version };
}

describe('Worker: Activate', () => {
  it('moves the alias to the smoked version', async () => {
    // Prepare
    const world = createWorkerWorld();
    const { input, version } = await setup(world);

    // Act
    const result = await activate(input, world.deps);

    // Assess
    expect(result).toEqual({ alias: 'live', version, aborted: false });
    expect(await world.functions.getAlias(FN, 'live')).toBe(version);
    expect(world.functions.digestAt(FN, 'live')).toBe(world.newDigest);
    expect(
      (await world.store.get(world.id))?.steps.find((s) => s.name === 'Activate'),
    ).toMatchObject({ outcome: 'succeeded', detail: `live → version ${version}` });
  });

  it('creates the alias when the function has none yet', async () => {
    const world = createWorkerWorld({ alias: false });
    const { input, version } = await setup(world);

    await activate(input, world.deps);

    expect(await world.functions.getAlias(FN, 'live')).toBe(version);
  });

  it('is a no-op when run again', async () => {
    const world = createWorkerWorld();
    const { input, version } = await setup(world);

    await activate(input, world.deps);
    const again = await activate(input, world.deps);

    expect(again).toEqual({ alias: 'live', version, aborted: false });
    expect(await world.functions.getAlias(FN, 'live')).toBe(version);
  });

  it('propagates a failed alias update unchanged, leaving traffic where it was', async () => {
    const world = createWorkerWorld();
    const { input } = await setup(world);
    vi.spyOn(world.functions, 'setAlias').mockRejectedValueOnce(new TransientError('throttled'));

    await expect(activate(input, world.deps)).rejects.toMatchObject({ name: 'TransientError' });
    expect(await world.functions.getAlias(FN, 'live')).toBe('1');
  });
});

describe('Worker: Activate after an abort', () => {
  it('leaves the alias where it is and says so, when an abort is recorded', async () => {
    const world = createWorkerWorld();
    const { input } = await setup(world);
    await world.store.update(world.id, { abort: { by: 'alice', at: '2026-11-28T12:00:00.000Z' } });
    const before = await world.functions.getAliasRouting(FN, 'live');

    const result = await activate(input, world.deps);

    expect(result).toEqual({ alias: 'live', version: input.version, aborted: true });
    expect(await world.functions.getAliasRouting(FN, 'live')).toEqual(before);
  });
});

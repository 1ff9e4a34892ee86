import { describe, expect, it, vi } from 'vitest';
import {
  createWorkerWorld,
  FN,
  planDeployment,
  seedDeployment,
  type WorkerWorld,
} from '../../../test/support/workflow-state.ts';
import { TransientError } from '../../core/errors.ts';
import { parseInput } from '../parse-input.ts';
import { type UpdateFunctionInput, updateFunction, updateFunctionInputSchema } from './core.ts';

async function setup(world: WorkerWorld = createWorkerWorld()) {
  await seedDeployment(world);
  const plan = await planDeployment(world);
  const input: UpdateFunctionInput = parseInput('UpdateFunction', updateFunctionInputSchema, {
    deploymentId: world.id,
    functionName: FN,
    imageUri: world.newUri,
    revisionId: plan.latest.revisionId,
  });
  return { world, plan, input };
}

describe('Worker: UpdateFunction', () => {
  it('publishes a new version pinned to the digest without moving the alias', async () => {
    // Prepare
    const { world, input } = await setup();

    // Act
    const result = await updateFunction(input, world.deps);

    // Assess
    expect(result).toEqual({
      version: '2',
      codeSha256: world.newDigest.slice('sha256:'.length),
      imageUri: world.newUri,
    });
    expect((await world.functions.getFunction(FN, '2')).resolvedImageUri).toBe(world.newUri);
    expect(world.functions.digestAt(FN, '$LATEST')).toBe(world.newDigest);
    expect(await world.functions.getAlias(FN, 'live')).toBe('1');
    const d = await world.store.get(world.id);
    expect(d?.release).toMatchObject({ version: '2', digest: world.newDigest });
    expect(d?.steps.find((s) => s.name === 'UpdateFunction')).toMatchObject({
      outcome: 'succeeded',
      attempts: 1,
      detail: 'published version 2',
    });
  });

  it('makes the code update conditional on the revision Prepare saw', async () => {
    const { world, plan, input } = await setup();
    const updateCode = vi.spyOn(world.functions, 'updateCode');

    await updateFunction(input, world.deps);

    expect(updateCode).toHaveBeenCalledExactlyOnceWith(FN, world.newUri, plan.latest.revisionId);
  });

  it('throws ConflictError when the function changed since Prepare, leaving it as changed', async () => {
    const { world, input } = await setup();
    const other = `${world.liveUri.split('@')[0]}@sha256:${'c'.repeat(64)}`;
    await world.functions.updateCode(FN, other);
    await world.functions.waitUntilUpdated(FN, 60);

    await expect(updateFunction(input, world.deps)).rejects.toMatchObject({
      name: 'ConflictError',
    });

    expect(world.functions.digestAt(FN, '$LATEST')).toBe(`sha256:${'c'.repeat(64)}`);
    expect(world.functions.functions.get(FN)?.versions.size).toBe(1);
    const step = (await world.store.get(world.id))?.steps.find((s) => s.name === 'UpdateFunction');
    expect(step).toMatchObject({
      outcome: 'failed',
      detail: expect.stringMatching(/^ConflictError/),
    });
  });

  it('throws FunctionUpdateFailedError when the update ends Failed, publishing nothing', async () => {
    const { world, input } = await setup();
    world.functions.updateStatus.set(world.newDigest, 'Failed');

    await expect(updateFunction(input, world.deps)).rejects.toMatchObject({
      name: 'FunctionUpdateFailedError',
    });

    expect(world.functions.functions.get(FN)?.versions.size).toBe(1);
    expect((await world.store.get(world.id))?.release?.version).toBeNull();
  });

  it('throws FunctionUpdateTimeoutError when the update stays InProgress past the bounded wait', async () => {
    const { world, input } = await setup();
    world.functions.updateStatus.set(world.newDigest, 'InProgress');
    const wait = vi.spyOn(world.functions, 'waitUntilUpdated');

    await expect(updateFunction(input, world.deps)).rejects.toMatchObject({
      name: 'FunctionUpdateTimeoutError',
    });

    expect(wait).toHaveBeenCalledWith(FN, world.deps.options.updateMaxWaitSeconds);
    expect(world.functions.functions.get(FN)?.versions.size).toBe(1);
  });

  it('skips the update and still publishes when a retry finds the code already changed', async () => {
    // Prepare: the first attempt updated $LATEST, then died before publishing.
    const { world, input } = await setup();
    await world.functions.updateCode(FN, world.newUri, input.revisionId);
    await world.functions.waitUntilUpdated(FN, 60);
    const updateCode = vi.spyOn(world.functions, 'updateCode');

    // Act: the retry carries Prepare's (now stale) revision id.
    const result = await updateFunction(input, world.deps);

    // Assess
    expect(updateCode).not.toHaveBeenCalled();
    expect(result.version).toBe('2');
    expect(world.functions.digestAt(FN, '2')).toBe(world.newDigest);
  });

  it('waits for an update an earlier attempt left in progress instead of updating again', async () => {
    const { world, input } = await setup();
    await world.functions.updateCode(FN, world.newUri, input.revisionId);
    const updateCode = vi.spyOn(world.functions, 'updateCode');

    const result = await updateFunction(input, world.deps);

    expect(updateCode).not.toHaveBeenCalled();
    expect(result.version).toBe('2');
  });

  it('returns the same version when run twice', async () => {
    const { world, input } = await setup();

    const first = await updateFunction(input, world.deps);
    const second = await updateFunction(input, world.deps);

    expect(second).toEqual(first);
    expect(world.functions.functions.get(FN)?.versions.size).toBe(2);
    const step = (await world.store.get(world.id))?.steps.find((s) => s.name === 'UpdateFunction');
    expect(step?.attempts).toBe(2);
  });

  it('propagates port errors unchanged so the workflow can retry them', async () => {
    const { world, input } = await setup();
    vi.spyOn(world.functions, 'publishVersion').mockRejectedValueOnce(
      new TransientError('throttled'),
    );

    await expect(updateFunction(input, world.deps)).rejects.toMatchObject({
      name: 'TransientError',
    });
    const retried = await updateFunction(input, world.deps);

    expect(retried.version).toBe('2');
  });

  it('rejects an image URI that is not pinned by digest', async () => {
    const { world, input } = await setup();

    await expect(
      updateFunction({ ...input, imageUri: `${world.liveUri.split('@')[0]}:v2` }, world.deps),
    ).rejects.toMatchObject({ name: 'InvalidRequestError', message: /not pinned by digest/ });
  });
});

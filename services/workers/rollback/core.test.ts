import { describe, expect, it, vi } from 'vitest';
import {
  awsCaught,
  createWorkerWorld,
  FN,
  planDeployment,
  publishNewVersion,
  seedDeployment,
  type WorkerWorld,
  workflowState,
} from '../../../test/support/workflow-state.ts';
import { TransientError } from '../../core/errors.ts';
import type { PrepareResult } from '../../core/workflow.ts';
import { parseInput } from '../parse-input.ts';
import { type RollbackInput, rollback, rollbackInputSchema } from './core.ts';

const SMOKE_FAILED = {
  passed: false,
  reason: 'the new version raised a FunctionError (Unhandled): Error: boom',
  statusCode: 200,
  functionError: 'Unhandled',
  responseExcerpt: '{"errorMessage":"boom"}',
  initDurationMs: 150,
  durationMs: 12.5,
  maxMemoryUsedMb: 64,
};

/** Seeds the deployment and plans it from the function as it is before anything changes. */
async function prepared(world: WorkerWorld = createWorkerWorld()) {
  await seedDeployment(world);
  const plan = await planDeployment(world);
  return { world, plan };
}

/** UpdateFunction's work: $LATEST on the new image, published as a version. */
async function updated(world: WorkerWorld) {
  const version = await publishNewVersion(world);
  return { version, codeSha256: world.newDigest.slice('sha256:'.length), imageUri: world.newUri };
}

function input(world: WorkerWorld, plan: PrepareResult, parts: Record<string, unknown>) {
  return parseInput('Rollback', rollbackInputSchema, workflowState(world, plan, parts));
}

async function functionState(world: WorkerWorld) {
  return {
    alias: await world.functions.getAlias(FN, 'live'),
    latest: world.functions.digestAt(FN, '$LATEST'),
  };
}

describe('Worker: Rollback', () => {
  it('moves the alias back and restores $LATEST when Activate failed after moving it', async () => {
    // Prepare
    const { world, plan } = await prepared();
    const update = await updated(world);
    await world.functions.setAlias(FN, 'live', update.version);
    const state = input(world, plan, {
      update,
      smoke: { ...SMOKE_FAILED, passed: true, reason: undefined },
      error: awsCaught('AccessDeniedError', 'not allowed to record the step'),
    });

    // Act
    const result = await rollback(state, world.deps);

    // Assess
    expect(result.restored).toEqual(['alias live → version 1', `$LATEST → ${world.liveDigest}`]);
    expect(await functionState(world)).toEqual({ alias: '1', latest: world.liveDigest });
    expect(world.functions.digestAt(FN, update.version)).toBe(world.newDigest);
    expect(
      (await world.store.get(world.id))?.steps.find((s) => s.name === 'Rollback'),
    ).toMatchObject({
      outcome: 'succeeded',
      detail: expect.stringMatching(/^restored alias live/),
    });
  });

  it('restores $LATEST to the previous digest when the smoke failed, leaving the alias alone', async () => {
    const { world, plan } = await prepared();
    const update = await updated(world);
    const setAlias = vi.spyOn(world.functions, 'setAlias');
    const updateCode = vi.spyOn(world.functions, 'updateCode');

    const result = await rollback(input(world, plan, { update, smoke: SMOKE_FAILED }), world.deps);

    expect(result.restored).toEqual([`$LATEST → ${world.liveDigest}`]);
    expect(setAlias).not.toHaveBeenCalled();
    expect(updateCode).toHaveBeenCalledExactlyOnceWith(FN, world.liveUri, expect.any(String));
    expect(await functionState(world)).toEqual({ alias: '1', latest: world.liveDigest });
  });

  it('restores $LATEST and ends REJECTED when a gate rejected a working version', async () => {
    // Prepare: the version works but its cold start grew beyond the gate; the alias never moved.
    const { world, plan } = await prepared();
    const update = await updated(world);
    const reason = 'init-growth gate failed: Init Duration 900.0 ms vs 200.0 ms live';
    const smoke = { ...SMOKE_FAILED, functionError: undefined, verdict: 'reject', reason };

    // Act
    const result = await rollback(input(world, plan, { update, smoke }), world.deps);

    // Assess
    expect(result).toEqual({
      restored: [`$LATEST → ${world.liveDigest}`],
      reason,
      outcome: 'REJECTED',
    });
    expect(await functionState(world)).toEqual({ alias: '1', latest: world.liveDigest });
    expect((await world.store.get(world.id))?.reason).toBe(reason);
  });

  it('ends ROLLED_BACK after a failed smoke', async () => {
    const { world, plan } = await prepared();
    const update = await updated(world);
    const smoke = { ...SMOKE_FAILED, verdict: 'fail' };

    const result = await rollback(input(world, plan, { update, smoke }), world.deps);

    expect(result.outcome).toBe('ROLLED_BACK');
  });

  it('restores $LATEST when its update to our digest ended Failed', async () => {
    const { world, plan } = await prepared();
    world.functions.updateStatus.set(world.newDigest, 'Failed');
    await world.functions.updateCode(FN, world.newUri, plan.latest.revisionId);

    const result = await rollback(
      input(world, plan, { error: awsCaught('FunctionUpdateFailedError', 'image pull failed') }),
      world.deps,
    );

    expect(result.restored).toEqual([`$LATEST → ${world.liveDigest}`]);
    expect(await world.functions.getFunction(FN)).toMatchObject({
      resolvedImageUri: world.liveUri,
      lastUpdateStatus: 'Successful',
    });
  });

  it('touches nothing when this deployment changed nothing', async () => {
    // Prepare: someone else changed $LATEST, so UpdateFunction lost its revision check.
    const { world, plan } = await prepared();
    const other = `${world.liveUri.split('@')[0]}@sha256:${'c'.repeat(64)}`;
    await world.functions.updateCode(FN, other);
    await world.functions.waitUntilUpdated(FN, 60);
    const updateCode = vi.spyOn(world.functions, 'updateCode');
    const setAlias = vi.spyOn(world.functions, 'setAlias');

    // Act
    const result = await rollback(
      input(world, plan, { error: awsCaught('ConflictError', 'function orders-api changed') }),
      world.deps,
    );

    // Assess
    expect(result).toEqual({
      restored: [],
      reason: 'ConflictError: function orders-api changed',
      outcome: 'ROLLED_BACK',
    });
    expect(updateCode).not.toHaveBeenCalled();
    expect(setAlias).not.toHaveBeenCalled();
    expect(world.functions.digestAt(FN, '$LATEST')).toBe(`sha256:${'c'.repeat(64)}`);
  });

  it('throws RollbackFailedError when the alias is not back on the live version afterwards', async () => {
    const { world, plan } = await prepared();
    const update = await updated(world);
    await world.functions.setAlias(FN, 'live', update.version);
    vi.spyOn(world.functions, 'setAlias').mockResolvedValue(undefined);

    await expect(
      rollback(input(world, plan, { update, error: awsCaught('TransientError', 'x') }), world.deps),
    ).rejects.toMatchObject({
      name: 'RollbackFailedError',
      message: expect.stringMatching(
        /alias live points at version 2, expected version 1 alone \(aws lambda update-alias/,
      ),
    });
  });

  it('propagates the error when the restore update itself ends Failed', async () => {
    const { world, plan } = await prepared();
    const update = await updated(world);
    world.functions.updateStatus.set(world.liveDigest, 'Failed');

    await expect(
      rollback(input(world, plan, { update, smoke: SMOKE_FAILED }), world.deps),
    ).rejects.toMatchObject({ name: 'FunctionUpdateFailedError' });
  });

  it('retries a restore that ended Failed on the next run', async () => {
    const { world, plan } = await prepared();
    const update = await updated(world);
    const state = input(world, plan, { update, smoke: SMOKE_FAILED });
    world.functions.updateStatus.set(world.liveDigest, 'Failed');
    await expect(rollback(state, world.deps)).rejects.toThrow();
    world.functions.updateStatus.delete(world.liveDigest);

    const result = await rollback(state, world.deps);

    expect(result.restored).toEqual([`$LATEST → ${world.liveDigest}`]);
    expect((await world.functions.getFunction(FN)).lastUpdateStatus).toBe('Successful');
  });

  it('finishes a restore an earlier attempt left in progress without updating again', async () => {
    const { world, plan } = await prepared();
    const update = await updated(world);
    const state = input(world, plan, { update, smoke: SMOKE_FAILED });
    vi.spyOn(world.functions, 'waitUntilUpdated').mockRejectedValueOnce(
      new TransientError('throttled'),
    );
    await expect(rollback(state, world.deps)).rejects.toMatchObject({ name: 'TransientError' });
    const updateCode = vi.spyOn(world.functions, 'updateCode');

    const result = await rollback(state, world.deps);

    expect(updateCode).not.toHaveBeenCalled();
    expect(result.restored).toEqual([`$LATEST → ${world.liveDigest}`]);
    expect(await world.functions.getFunction(FN)).toMatchObject({
      resolvedImageUri: world.liveUri,
      lastUpdateStatus: 'Successful',
    });
  });

  it('is idempotent: a second run finds nothing to restore and succeeds', async () => {
    const { world, plan } = await prepared();
    const update = await updated(world);
    await world.functions.setAlias(FN, 'live', update.version);
    const state = input(world, plan, { update, error: awsCaught('TransientError', 'x') });
    await rollback(state, world.deps);

    const second = await rollback(state, world.deps);

    expect(second.restored).toEqual([]);
    expect(await functionState(world)).toEqual({ alias: '1', latest: world.liveDigest });
    const step = (await world.store.get(world.id))?.steps.find((s) => s.name === 'Rollback');
    expect(step).toMatchObject({ outcome: 'succeeded', attempts: 2 });
  });

  it('throws RollbackFailedError for an alias this deployment created, after restoring $LATEST', async () => {
    const { world, plan } = await prepared(createWorkerWorld({ alias: false }));
    const update = await updated(world);
    await world.functions.setAlias(FN, 'live', update.version);

    await expect(
      rollback(input(world, plan, { update, error: awsCaught('TransientError', 'x') }), world.deps),
    ).rejects.toMatchObject({
      name: 'RollbackFailedError',
      message: expect.stringMatching(/did not exist before.*aws lambda delete-alias/),
    });
    expect(world.functions.digestAt(FN, '$LATEST')).toBe(world.liveDigest);
  });

  it('leaves an alias someone else created when it does not run our image', async () => {
    const { world, plan } = await prepared(createWorkerWorld({ alias: false }));
    const update = await updated(world);
    await world.functions.setAlias(FN, 'live', '1');

    const result = await rollback(input(world, plan, { update, smoke: SMOKE_FAILED }), world.deps);

    expect(result.restored).toEqual([`$LATEST → ${world.liveDigest}`]);
    expect(await world.functions.getAlias(FN, 'live')).toBe('1');
  });

  describe('reason', () => {
    it('is the smoke reason when the smoke failed', async () => {
      const { world, plan } = await prepared();
      const update = await updated(world);

      const result = await rollback(
        input(world, plan, { update, smoke: SMOKE_FAILED }),
        world.deps,
      );

      expect(result.reason).toBe(SMOKE_FAILED.reason);
      expect((await world.store.get(world.id))?.reason).toBe(SMOKE_FAILED.reason);
    });

    it.each<[string, RollbackInput['error'], string]>([
      [
        'an AWS-style JSON string Cause',
        awsCaught(
          'FunctionUpdateFailedError',
          'function orders-api update failed: image could not be pulled',
        ),
        'FunctionUpdateFailedError: function orders-api update failed: image could not be pulled',
      ],
      [
        'a plain object Cause',
        { Error: 'States.Timeout', Cause: { message: 'Task timed out after 900 s' } },
        'States.Timeout: Task timed out after 900 s',
      ],
      [
        'a plain string Cause',
        { Error: 'States.TaskFailed', Cause: 'worker crashed' },
        'States.TaskFailed: worker crashed',
      ],
    ])('is the caught error from %s', async (_name, error, expected) => {
      const { world, plan } = await prepared();
      const update = await updated(world);

      const result = await rollback(input(world, plan, { update, error }), world.deps);

      expect(result.reason).toBe(expected);
      expect((await world.store.get(world.id))?.reason).toBe(expected);
    });
  });
});

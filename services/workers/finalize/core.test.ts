import { describe, expect, it, type MockInstance, vi } from 'vitest';
import type { FakeBuildLogs } from '../../../test/fakes/fake-build-logs.ts';
import {
  awsCaught,
  BUILD_REPO,
  createWorkerWorld,
  FN,
  planDeployment,
  seedDeployment,
  sourcePlanParts,
  type WorkerWorld,
  workflowState,
} from '../../../test/support/workflow-state.ts';
import { AccessDeniedError, TransientError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { PrepareResult } from '../../core/workflow.ts';
import { parseInput } from '../parse-input.ts';
import { type FinalizeInput, finalize, finalizeInputSchema, finalReason } from './core.ts';

const SMOKE_FAILED = { passed: false, reason: 'response statusCode is 500, expected 200' };
const SCAN_REJECTED = {
  verdict: 'reject',
  reasons: ['compressed size 300.0 MiB exceeds the budget of 250.0 MiB', 'growth 7.50x over 1.5x'],
};

/** A source deployment (so there is a candidate tag) seeded and planned; state parts per test. */
async function setup(world: WorkerWorld = createWorkerWorld()) {
  await seedDeployment(world);
  const plan = await planDeployment(world, sourcePlanParts(world));
  return { world, plan };
}

function input(
  world: WorkerWorld,
  plan: PrepareResult | undefined,
  parts: Record<string, unknown>,
) {
  const state = plan ? workflowState(world, plan, parts) : { deploymentId: world.id, ...parts };
  return parseInput('Finalize', finalizeInputSchema, state);
}

function candidateExists(world: WorkerWorld, plan: PrepareResult): boolean {
  return world.registry.repos.get(BUILD_REPO)?.tags.has(plan.candidateTag ?? '') ?? false;
}

describe('Worker: Finalize', () => {
  it('ends a succeeded deployment: status written, lock released, candidate tag dropped, one notification', async () => {
    // Prepare
    const { world, plan } = await setup();

    // Act
    const result = await finalize(
      input(world, plan, { final: { outcome: 'SUCCEEDED' }, smoke: { passed: true } }),
      world.deps,
    );

    // Assess
    expect(result).toEqual({ status: 'SUCCEEDED', reason: null });
    const d = await world.store.get(world.id);
    expect(d).toMatchObject({ status: 'SUCCEEDED', endedAt: expect.any(String) });
    expect(d?.reason).toBeUndefined();
    expect(d?.error).toBeUndefined();
    expect(d?.steps.find((s) => s.name === 'Finalize')).toMatchObject({
      outcome: 'succeeded',
      detail: 'SUCCEEDED',
    });
    expect(await world.store.getLock(FN)).toBeNull();
    expect(candidateExists(world, plan)).toBe(false);
    expect(world.notifier.sent).toHaveLength(1);
    expect(world.notifier.sent[0]).toMatchObject({ status: 'SUCCEEDED', critical: false });
    expect(world.notifier.sent[0]?.deployment.status).toBe('SUCCEEDED');
  });

  it('ends a rejected deployment with the scan reasons and deletes the candidate tag', async () => {
    const { world, plan } = await setup();

    const result = await finalize(
      input(world, plan, { final: { outcome: 'REJECTED' }, scan: SCAN_REJECTED }),
      world.deps,
    );

    expect(result.reason).toBe(SCAN_REJECTED.reasons.join('; '));
    expect((await world.store.get(world.id))?.status).toBe('REJECTED');
    expect(candidateExists(world, plan)).toBe(false);
    expect(await world.store.getLock(FN)).toBeNull();
  });

  it('ends a failed deployment with the caught error and deletes the candidate tag', async () => {
    const { world, plan } = await setup();

    const result = await finalize(
      input(world, plan, {
        final: { outcome: 'FAILED' },
        error: awsCaught('NotFoundError', 'image ferry/builds:ferry-candidate-x not found'),
      }),
      world.deps,
    );

    expect(result).toEqual({
      status: 'FAILED',
      reason: 'NotFoundError: image ferry/builds:ferry-candidate-x not found',
    });
    expect(await world.store.get(world.id)).toMatchObject({
      status: 'FAILED',
      reason: result.reason,
      error: { name: 'NotFoundError', message: 'image ferry/builds:ferry-candidate-x not found' },
    });
    expect(candidateExists(world, plan)).toBe(false);
  });

  it('ends a rolled-back deployment with the rollback reason and drops the candidate tag', async () => {
    const { world, plan } = await setup();

    const result = await finalize(
      input(world, plan, {
        final: { outcome: 'ROLLED_BACK' },
        smoke: SMOKE_FAILED,
        rollback: { restored: ['$LATEST → sha256:…'], reason: SMOKE_FAILED.reason },
      }),
      world.deps,
    );

    expect(result).toEqual({ status: 'ROLLED_BACK', reason: SMOKE_FAILED.reason });
    expect(candidateExists(world, plan)).toBe(false);
    expect(world.notifier.sent.map((n) => [n.status, n.critical])).toEqual([
      ['ROLLED_BACK', false],
    ]);
  });

  it('ends ROLLBACK_FAILED with both causes and a critical notification', async () => {
    const { world, plan } = await setup();

    const result = await finalize(
      input(world, plan, {
        final: { outcome: 'ROLLBACK_FAILED' },
        smoke: SMOKE_FAILED,
        rollbackError: awsCaught('RollbackFailedError', 'alias live points at version 2'),
      }),
      world.deps,
    );

    expect(result.reason).toBe(
      `rollback failed (RollbackFailedError: alias live points at version 2) after: ${SMOKE_FAILED.reason}`,
    );
    expect(await world.store.get(world.id)).toMatchObject({
      status: 'ROLLBACK_FAILED',
      error: { name: 'RollbackFailedError', message: 'alias live points at version 2' },
    });
    expect(world.notifier.sent.map((n) => [n.status, n.critical])).toEqual([
      ['ROLLBACK_FAILED', true],
    ]);
    expect(await world.store.getLock(FN)).toBeNull();
  });

  it('leaves the lock alone when another deployment owns it', async () => {
    // Prepare: Prepare lost the lock race, so this deployment never held it.
    const world = createWorkerWorld();
    await seedDeployment(world);
    world.store.locks.set(FN, { functionName: FN, owner: 'd-OTHER', expiresAt: 9_999_999_999 });

    await finalize(
      input(world, undefined, {
        final: { outcome: 'FAILED' },
        error: awsCaught('ConflictError', `function ${FN} is locked by deployment d-OTHER`),
      }),
      world.deps,
    );

    expect((await world.store.getLock(FN))?.owner).toBe('d-OTHER');
    expect((await world.store.get(world.id))?.reason).toMatch(/locked by deployment d-OTHER/);
  });

  it('still finalizes when the candidate tag cannot be deleted', async () => {
    const { world, plan } = await setup();
    vi.spyOn(world.registry, 'deleteTag').mockRejectedValue(
      Object.assign(new Error('denied'), { name: 'AccessDeniedError' }),
    );
    const warn = vi.spyOn(world.deps.logger, 'warn');

    const result = await finalize(
      input(world, plan, { final: { outcome: 'REJECTED' }, scan: SCAN_REJECTED }),
      world.deps,
    );

    expect(result.status).toBe('REJECTED');
    expect(warn).toHaveBeenCalledWith('candidate tag not deleted', expect.any(Object));
    expect(await world.store.getLock(FN)).toBeNull();
    expect(world.notifier.sent).toHaveLength(1);
  });

  it('still finalizes when the notification fails for good: logged, not thrown', async () => {
    const { world, plan } = await setup();
    vi.spyOn(world.notifier, 'notify').mockRejectedValue(
      new AccessDeniedError('events:PutEvents failed: AccessDeniedException'),
    );
    const error = vi.spyOn(world.deps.logger, 'error');

    const result = await finalize(
      input(world, plan, { final: { outcome: 'SUCCEEDED' } }),
      world.deps,
    );

    expect(result.status).toBe('SUCCEEDED');
    expect((await world.store.get(world.id))?.status).toBe('SUCCEEDED');
    expect(error).toHaveBeenCalledWith(
      'notification failed',
      expect.objectContaining({ name: 'AccessDeniedError' }),
    );
  });

  it('runs again whole on a second run: nothing rewritten, the notification not sent twice', async () => {
    const { world, plan } = await setup();
    const state = input(world, plan, { final: { outcome: 'ROLLED_BACK' }, smoke: SMOKE_FAILED });
    await finalize(state, world.deps);
    const endedAt = (await world.store.get(world.id))?.endedAt;
    const notify = vi.spyOn(world.notifier, 'notify');

    const second = await finalize(state, world.deps);

    expect(second).toEqual({ status: 'ROLLED_BACK', reason: SMOKE_FAILED.reason });
    // Asked again (a retry cannot know what went out), sent once: the claim holds.
    expect(notify).not.toHaveBeenCalled();
    expect(world.notifier.sent).toHaveLength(1);
    expect((await world.store.get(world.id))?.endedAt).toBe(endedAt);
  });

  it('records a failed build as a failed Build step after Prepare, with its log link', async () => {
    const { world, plan } = await setup();
    const cause = JSON.stringify({
      Id: 'ferry-build-x86_64:7',
      BuildStatus: 'FAILED',
      Logs: { DeepLink: 'https://console.aws.amazon.com/codebuild/logs/7' },
    });

    const result = await finalize(
      input(world, plan, {
        final: { outcome: 'FAILED', failedStep: 'Build' },
        error: { Error: 'States.TaskFailed', Cause: cause },
      }),
      world.deps,
    );

    expect(result.reason).toBe('build failed: build ferry-build-x86_64:7 ended FAILED');
    const d = await world.store.get(world.id);
    const prepareStep = d?.steps.find((s) => s.name === 'Prepare');
    expect(d?.steps.map((s) => s.name)).toEqual(['Prepare', 'Build', 'Finalize']);
    expect(d?.steps.find((s) => s.name === 'Build')).toEqual({
      name: 'Build',
      startedAt: prepareStep?.endedAt,
      endedAt: expect.any(String),
      outcome: 'failed',
      attempts: 1,
      detail: 'build ferry-build-x86_64:7 ended FAILED',
    });
    expect(d?.buildLogsUrl).toBe('https://console.aws.amazon.com/codebuild/logs/7');
    expect(d?.buildId).toBe('ferry-build-x86_64:7');
    expect(candidateExists(world, plan)).toBe(false);
  });

  it("names CodeBuild's failed phase and quotes the build log's last lines, without escapes", async () => {
    const { world, plan } = await setup();
    const logs = world.deps.buildLogs as FakeBuildLogs;
    logs.start('ferry-build-x86_64:8', 'https://console.aws.amazon.com/cloudwatch/build-8');
    logs.write(
      'ferry-build-x86_64:8',
      Array.from({ length: 14 }, (_, i) => `\u001b[1mline ${i + 1}\u001b[0m  `),
    );
    // As Step Functions writes a startBuild.sync failure: the Build, PascalCase.
    const cause = JSON.stringify({
      Build: {
        Id: 'ferry-build-x86_64:8',
        BuildStatus: 'FAILED',
        Phases: [
          { PhaseType: 'PRE_BUILD', PhaseStatus: 'SUCCEEDED' },
          {
            PhaseType: 'BUILD',
            PhaseStatus: 'FAILED',
            Contexts: [
              {
                StatusCode: 'COMMAND_EXECUTION_ERROR',
                Message:
                  'Error while executing command: docker buildx build. Reason: exit status 1',
              },
            ],
          },
        ],
        Logs: { DeepLink: 'https://console.aws.amazon.com/codebuild/8' },
      },
    });

    const result = await finalize(
      input(world, plan, {
        final: { outcome: 'FAILED', failedStep: 'Build' },
        error: { Error: 'States.TaskFailed', Cause: cause },
      }),
      world.deps,
    );

    const lines = Array.from({ length: 10 }, (_, i) => `line ${i + 5}`).join(' | ');
    expect(result.reason).toBe(`build failed: BUILD phase: exit status 1 — last lines: ${lines}`);
    const d = await world.store.get(world.id);
    expect(d?.reason).toBe(result.reason);
    expect(d?.buildId).toBe('ferry-build-x86_64:8');
    expect(d?.buildLogsUrl).toBe('https://console.aws.amazon.com/cloudwatch/build-8');
  });

  it('still records the failed phase when the build log cannot be read', async () => {
    const { world, plan } = await setup();
    const deps = {
      ...world.deps,
      buildLogs: {
        read: async () => {
          throw new TransientError('logs unavailable');
        },
      },
    };
    const cause = JSON.stringify({
      Id: 'ferry-build-x86_64:9',
      BuildStatus: 'FAILED',
      Phases: [
        {
          PhaseType: 'BUILD',
          PhaseStatus: 'FAILED',
          Contexts: [{ StatusCode: 'COMMAND_EXECUTION_ERROR' }],
        },
      ],
    });

    const result = await finalize(
      input(world, plan, {
        final: { outcome: 'FAILED', failedStep: 'Build' },
        error: { Error: 'States.TaskFailed', Cause: cause },
      }),
      deps,
    );

    expect(result).toEqual({
      status: 'FAILED',
      reason: 'build failed: BUILD phase failed (COMMAND_EXECUTION_ERROR)',
    });
  });

  it('tolerates a missing deployment record, still releasing the lock it held', async () => {
    const world = createWorkerWorld();
    const plan = await planDeployment(world);
    await world.store.acquireLock(FN, world.id, 0, 9_999_999_999);

    const result = await finalize(
      input(world, plan, { final: { outcome: 'FAILED' }, error: awsCaught('NotFoundError', 'x') }),
      world.deps,
    );

    expect(result).toEqual({ status: 'FAILED', reason: 'deployment record missing' });
    expect(await world.store.getLock(FN)).toBeNull();
    expect(world.notifier.sent).toEqual([]);
  });
});

describe('Worker: Finalize, retried after a failure past the status write', () => {
  const ROLLBACK_FAILED_STATE = {
    final: { outcome: 'ROLLBACK_FAILED' },
    smoke: SMOKE_FAILED,
    rollbackError: awsCaught('RollbackFailedError', 'alias live points at version 2'),
  };

  /** The 'deployment finalized' lines Finalize logged (the metric filters read them). */
  function finalizedLines(info: MockInstance<Logger['info']>) {
    return info.mock.calls.filter((c) => c[0] === 'deployment finalized').map((c) => c[1]);
  }

  it('announces ROLLBACK_FAILED on the retry when releasing the lock failed once after the write', async () => {
    // Prepare: the attempt that writes the status then loses the lock release to a throttle.
    const { world, plan } = await setup();
    vi.spyOn(world.store, 'releaseLock').mockRejectedValueOnce(
      new TransientError('dynamodb:DeleteItem lock orders-api failed: ThrottlingException'),
    );
    const info = vi.spyOn(world.deps.logger, 'info');
    const state = input(world, plan, ROLLBACK_FAILED_STATE);

    // Act: the first attempt fails as the ASL sees it (TransientError → Retry); the retry runs.
    await expect(finalize(state, world.deps)).rejects.toMatchObject({ name: 'TransientError' });
    expect((await world.store.get(world.id))?.status).toBe('ROLLBACK_FAILED');
    const result = await finalize(state, world.deps);

    // Assess: one critical notification, and one counted 'deployment finalized' line.
    expect(result.status).toBe('ROLLBACK_FAILED');
    expect(world.notifier.sent.map((n) => [n.status, n.critical])).toEqual([
      ['ROLLBACK_FAILED', true],
    ]);
    expect(finalizedLines(info)).toEqual([
      expect.objectContaining({ deploymentId: world.id, status: 'ROLLBACK_FAILED', written: true }),
    ]);
    expect(await world.store.getLock(FN)).toBeNull();
  });

  it('throws a retryable notifier failure after the status, lock and log line, and the retry sends', async () => {
    const { world, plan } = await setup();
    vi.spyOn(world.notifier, 'notify').mockRejectedValueOnce(
      new TransientError('slack message not delivered: 503'),
    );
    const info = vi.spyOn(world.deps.logger, 'info');
    const state = input(world, plan, ROLLBACK_FAILED_STATE);

    await expect(finalize(state, world.deps)).rejects.toMatchObject({ name: 'TransientError' });

    // The outcome is recorded and the alarm's line written before the notification is tried.
    expect((await world.store.get(world.id))?.status).toBe('ROLLBACK_FAILED');
    expect(await world.store.getLock(FN)).toBeNull();
    expect(finalizedLines(info)).toEqual([expect.objectContaining({ written: true })]);
    expect(world.notifier.sent).toEqual([]);

    await finalize(state, world.deps);

    expect(world.notifier.sent.map((n) => [n.status, n.critical])).toEqual([
      ['ROLLBACK_FAILED', true],
    ]);
    // The retry logs the line again, uncounted: one deployment is one metric point.
    expect(finalizedLines(info).map((l) => l?.written)).toEqual([true, false]);
  });

  it('counts the line when its claim cannot be taken: a doubled count beats a silent alarm', async () => {
    const { world, plan } = await setup();
    vi.spyOn(world.claims, 'claim').mockRejectedValueOnce(
      new AccessDeniedError('dynamodb:PutItem claim failed: AccessDeniedException'),
    );
    const info = vi.spyOn(world.deps.logger, 'info');

    await finalize(input(world, plan, ROLLBACK_FAILED_STATE), world.deps);

    expect(finalizedLines(info)).toEqual([expect.objectContaining({ written: true })]);
    expect(world.notifier.sent.map((n) => n.status)).toEqual(['ROLLBACK_FAILED']);
  });
});

describe('Function: finalReason', () => {
  const base = { deploymentId: 'd-1' };
  it.each<[string, Omit<FinalizeInput, 'deploymentId'>, string | null]>([
    ['SUCCEEDED has none', { final: { outcome: 'SUCCEEDED' } }, null],
    [
      'REJECTED without reasons says so',
      { final: { outcome: 'REJECTED' } },
      'the image did not pass the scan gate',
    ],
    [
      'REJECTED by the cold-start gate gives the smoke reason, not the scan',
      {
        final: { outcome: 'REJECTED' },
        scan: { verdict: 'pass', reasons: [] },
        smoke: {
          passed: false,
          verdict: 'reject',
          reason: 'init-growth gate failed: 900 ms vs 200 ms',
        },
      },
      'init-growth gate failed: 900 ms vs 200 ms',
    ],
    [
      'ROLLED_BACK without a rollback output falls back to the smoke',
      { final: { outcome: 'ROLLED_BACK' }, smoke: SMOKE_FAILED },
      SMOKE_FAILED.reason,
    ],
    [
      'ROLLED_BACK without a rollback output falls back to the error',
      {
        final: { outcome: 'ROLLED_BACK' },
        error: { Error: 'States.Timeout', Cause: { message: 'timed out' } },
      },
      'States.Timeout: timed out',
    ],
    [
      'ROLLBACK_FAILED after an error',
      {
        final: { outcome: 'ROLLBACK_FAILED' },
        error: awsCaught('FunctionUpdateFailedError', 'pull failed'),
        rollbackError: awsCaught('FunctionUpdateFailedError', 'restore failed'),
      },
      'rollback failed (FunctionUpdateFailedError: restore failed) after: FunctionUpdateFailedError: pull failed',
    ],
  ])('%s', (_name, parts, expected) => {
    expect(finalReason({ ...base, ...parts })).toBe(expected);
  });
});

/**
 * Finalize retried on the real statemachine/deploy.asl.json: a failure after the status write
 * must not cost the announcement (one critical notification, one counted `deployment finalized`
 * line), and a notifier that keeps failing ends in FinalizeFailed with the recorded status
 * unchanged and the lock released.
 */
import { describe, expect, it } from 'vitest';
import { TransientError } from '../../services/core/errors.ts';
import { FaultInjector } from './faults.ts';
import { appRef, createWorld, FN, finalizedLines, type World } from './world.ts';

/** A world whose deployment's smoke fails and whose rollback then fails too: ROLLBACK_FAILED. */
async function rollbackFails(): Promise<{ world: World; id: string }> {
  const world = createWorld();
  const digest = world.pushApp('v2');
  world.functions.behaviors.set(digest, () => ({
    functionError: 'Unhandled',
    payload: { errorMessage: 'boom' },
  }));
  world.functions.updateStatus.set(world.liveDigest, 'Failed');
  return { world, id: await world.request({ image: appRef('v2') }) };
}

describe('Workflow: Finalize retried', () => {
  it('announces ROLLBACK_FAILED when the attempt that wrote the status failed releasing the lock', async () => {
    // Prepare
    const { world, id } = await rollbackFails();
    const faults = new FaultInjector([
      { step: 'Finalize', port: 'store', method: 'releaseLock', occurrence: 1, kind: 'transient' },
    ]);
    const { lines, logger } = finalizedLines();

    // Act
    const outcome = await world.run(id, faults.depsFor({ ...world.deps, logger }));

    // Assess
    expect(faults.fired).toHaveLength(1);
    expect(outcome).toMatchObject({ error: 'ROLLBACK_FAILED', retries: { Finalize: 1 } });
    expect((await world.record(id)).status).toBe('ROLLBACK_FAILED');
    const terminal = world.notifier.sent.filter((n) => n.status !== 'RUNNING');
    expect(terminal.map((n) => [n.status, n.critical])).toEqual([['ROLLBACK_FAILED', true]]);
    expect(lines).toEqual([
      expect.objectContaining({ deploymentId: id, status: 'ROLLBACK_FAILED', written: true }),
    ]);
    expect(await world.store.getLock(FN)).toBeNull();
  });

  it('ends FinalizeFailed when notifying keeps failing, the status kept and the lock released', async () => {
    const { world, id } = await rollbackFails();
    const down = {
      notify: async () => {
        throw new TransientError('slack message not delivered');
      },
    };
    const { lines, logger } = finalizedLines();

    const outcome = await world.run(id, () => ({ ...world.deps, notifier: down, logger }));

    // The definition's TransientError retrier (5 retries), then its Catch.
    expect(outcome).toMatchObject({ error: 'FinalizeFailed', retries: { Finalize: 5 } });
    expect(outcome.path.at(-1)).toBe('FinalizeFailed');
    const d = await world.record(id);
    expect(d.status).toBe('ROLLBACK_FAILED');
    expect(d.reason).toMatch(/rollback failed/);
    expect(d.steps.find((s) => s.name === 'Finalize')).toMatchObject({
      outcome: 'failed',
      attempts: 6,
      detail: 'TransientError: slack message not delivered',
    });
    expect(await world.store.getLock(FN)).toBeNull();
    // Every attempt logged the line; the alarm counted it once, before any notification.
    expect(lines.map((l) => l.written)).toEqual([true, false, false, false, false, false]);
  });
});

import { describe, expect, it } from 'vitest';
import { aDeployment } from '../../test/fakes/deployments.ts';
import { ManualClock } from '../../test/fakes/manual-clock.ts';
import { MemoryStore } from '../../test/fakes/memory-store.ts';
import { AccessDeniedError, ConflictError } from '../core/errors.ts';
import { silentLogger } from '../core/logger.ts';
import { withStep } from './step-recorder.ts';

async function setup() {
  const store = new MemoryStore();
  await store.create(aDeployment({ id: 'd-1', functionName: 'fn', status: 'RUNNING' }));
  return { store, deps: { store, clock: new ManualClock(), logger: silentLogger } };
}

describe('Function: withStep', () => {
  it('records the start, the end and a summary of a step that succeeds', async () => {
    const { store, deps } = await setup();
    const result = await withStep(
      deps,
      'd-1',
      'Promote',
      async () => 42,
      (n) => `tagged ${n}`,
    );
    expect(result).toBe(42);
    const [step] = (await store.get('d-1'))?.steps ?? [];
    expect(step).toMatchObject({
      name: 'Promote',
      outcome: 'succeeded',
      attempts: 1,
      detail: 'tagged 42',
    });
    expect(Date.parse(step?.endedAt ?? '')).toBeGreaterThan(Date.parse(step?.startedAt ?? ''));
  });

  it('records a failure and rethrows the original named error', async () => {
    const { store, deps } = await setup();
    await expect(
      withStep(deps, 'd-1', 'Promote', async () => {
        throw new ConflictError('tag moved');
      }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    expect((await store.get('d-1'))?.steps[0]).toMatchObject({
      outcome: 'failed',
      detail: 'ConflictError: tag moved',
    });
  });

  it('keeps the first start time and counts attempts across retries', async () => {
    const { store, deps } = await setup();
    await withStep(deps, 'd-1', 'Promote', async () => {
      throw new AccessDeniedError('no');
    }).catch(() => undefined);
    const first = (await store.get('d-1'))?.steps[0];
    await withStep(deps, 'd-1', 'Promote', async () => 'ok');
    const second = (await store.get('d-1'))?.steps[0];
    expect(second).toMatchObject({
      attempts: 2,
      outcome: 'succeeded',
      startedAt: first?.startedAt,
    });
  });
});

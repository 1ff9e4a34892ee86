import { describe, expect, it } from 'vitest';
import { aDeployment } from '../../test/fakes/deployments.ts';
import { MemoryStore } from '../../test/fakes/memory-store.ts';
import { liveOf, liveReleaseOf } from './live.ts';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const released = (id: string, createdAt: string, digest = DIGEST) =>
  aDeployment({
    id,
    createdAt,
    status: 'SUCCEEDED',
    endedAt: createdAt,
    release: { version: '3', digest, imageUri: `team/orders@${digest}` },
  });

describe('Function: liveReleaseOf', () => {
  it('is null for a deployment that did not succeed or recorded no image', () => {
    expect(liveReleaseOf(aDeployment({ status: 'ROLLED_BACK' }), null)).toBeNull();
    expect(liveReleaseOf(aDeployment({ status: 'SUCCEEDED' }), null)).toBeNull();
  });

  it('carries a cold start over only from the same digest', () => {
    const warm = released('d-1', '2026-12-01T00:00:00.000Z');
    const before = { ...liveReleaseOf(warm, null), initDurationMs: 300 } as never;
    expect(liveReleaseOf(warm, before)?.initDurationMs).toBe(300);
    const other = released('d-2', '2026-12-01T00:00:00.000Z', `sha256:${'b'.repeat(64)}`);
    expect(liveReleaseOf(other, before)?.initDurationMs).toBeNull();
  });
});

describe('Function: liveOf', () => {
  it('reads the live record and not the history when there is one', async () => {
    const store = new MemoryStore();
    await store.create(released('d-old', '2026-11-01T00:00:00.000Z'));
    const record = liveReleaseOf(released('d-new', '2026-11-02T00:00:00.000Z'), null);
    if (!record) throw new Error('expected a record');
    await store.putLive(record);
    let listed = 0;
    const counting = {
      getLive: store.getLive.bind(store),
      listByFunction: async () => {
        listed++;
        return { items: [] };
      },
    };
    expect(await liveOf(counting, 'orders')).toMatchObject({ deploymentId: 'd-new' });
    expect(listed).toBe(0);
  });

  it('stands in the newest SUCCEEDED release for a history without a record', async () => {
    const store = new MemoryStore();
    await store.create(released('d-a', '2026-11-01T00:00:00.000Z'));
    await store.create(released('d-b', '2026-11-02T00:00:00.000Z'));
    await store.create(
      aDeployment({ id: 'd-c', createdAt: '2026-11-03T00:00:00.000Z', status: 'FAILED' }),
    );
    expect(await liveOf(store, 'orders')).toMatchObject({ deploymentId: 'd-b' });
    expect(await liveOf(store, 'nothing')).toBeNull();
  });
});

/** The LiveReleases contract: one record per function, the last one put, read back as written. */
import { describe, expect, it } from 'vitest';
import type { LiveRelease } from '../../services/core/live.ts';
import type { LiveReleases } from '../../services/core/ports.ts';
import { freshSubject, type MakeSubject } from './subject.ts';

/** A live record of `functionName` made by `deploymentId`. */
export const liveRecord = (
  functionName: string,
  deploymentId: string,
  initDurationMs: number | null = null,
) =>
  ({
    functionName,
    deploymentId,
    version: '4',
    digest: `sha256:${'c'.repeat(64)}`,
    imageUri: `team/api@sha256:${'c'.repeat(64)}`,
    releasedAt: '2026-12-01T10:00:00.000Z',
    compressedBytes: 1234,
    initDurationMs,
  }) satisfies LiveRelease;

/** Registers the LiveReleases contract for one implementation. */
export function describeLiveReleasesContract(
  implementation: string,
  make: MakeSubject<LiveReleases>,
): void {
  describe(`LiveReleases contract (${implementation})`, () => {
    const subject = freshSubject(make);
    const live = () => subject().port;

    it('has no record for a function nothing was released to', async () => {
      await expect(live().getLive('orders')).resolves.toBeNull();
    });

    it('keeps one record per function: the last one put, nulls and all', async () => {
      await live().putLive(liveRecord('orders', 'd-1', 120));
      await live().putLive(liveRecord('orders', 'd-2', null));
      await live().putLive(liveRecord('billing', 'd-3', 80));
      await expect(live().getLive('orders')).resolves.toEqual(liveRecord('orders', 'd-2', null));
      await expect(live().getLive('billing')).resolves.toEqual(liveRecord('billing', 'd-3', 80));
    });

    it('is idempotent: putting the same record again changes nothing', async () => {
      await live().putLive(liveRecord('orders', 'd-1', 120));
      await live().putLive(liveRecord('orders', 'd-1', 120));
      await expect(live().getLive('orders')).resolves.toEqual(liveRecord('orders', 'd-1', 120));
    });

    it('hands out copies: changing what was read changes nothing stored', async () => {
      await live().putLive(liveRecord('orders', 'd-1', 120));
      const read = (await live().getLive('orders')) as { deploymentId: string };
      read.deploymentId = 'd-tampered';
      await expect(live().getLive('orders')).resolves.toMatchObject({ deploymentId: 'd-1' });
    });
  });
}

/** The RolloutQueue contract: one record per (function, event), each function's queue in order. */
import { describe, expect, it } from 'vitest';
import type { RolloutQueue } from '../../services/core/ports.ts';
import type { QueuedRollout } from '../../services/core/queued-rollout.ts';
import { freshSubject, type MakeSubject } from './subject.ts';

const DIGEST = `sha256:${'d'.repeat(64)}`;
/** A rollout of `orders` from event `evt-1`, with overrides. */
const rollout = (overrides: Partial<QueuedRollout> = {}): QueuedRollout => ({
  functionName: 'orders',
  eventId: 'evt-1',
  repository: 'team/orders',
  tag: 'release-1',
  digest: DIGEST,
  imageRef: `127.0.0.1:5000/team/orders@${DIGEST}`,
  queuedAt: '2026-01-01T00:00:00.000Z',
  position: 0,
  ...overrides,
});
const events = (items: QueuedRollout[]) => items.map((r) => `${r.functionName}:${r.eventId}`);

/** Registers the RolloutQueue contract for one implementation. */
export function describeRolloutQueueContract(
  implementation: string,
  make: MakeSubject<RolloutQueue>,
): void {
  describe(`RolloutQueue contract (${implementation})`, () => {
    const subject = freshSubject(make);
    const queue = () => subject().port;

    it('is empty at first', async () => {
      await expect(queue().pending()).resolves.toStrictEqual([]);
      await expect(queue().pending('orders')).resolves.toStrictEqual([]);
    });

    it('returns a recorded rollout exactly as given', async () => {
      expect(await queue().enqueue(rollout())).toBe(true);
      await expect(queue().pending('orders')).resolves.toStrictEqual([rollout()]);
    });

    it('records an event once per function, however often or concurrently it arrives', async () => {
      const first = await Promise.all(Array.from({ length: 5 }, () => queue().enqueue(rollout())));
      expect(first.filter(Boolean)).toHaveLength(1);
      expect(await queue().enqueue(rollout({ tag: 'release-2' }))).toBe(false);
      expect(await queue().enqueue(rollout({ functionName: 'billing' }))).toBe(true);
      expect(events(await queue().pending())).toHaveLength(2);
    });

    it("keeps each function's rollouts in the order recorded, and functions apart", async () => {
      await queue().enqueue(rollout({ eventId: 'z-late', queuedAt: '2026-01-01T00:00:02.000Z' }));
      await queue().enqueue(
        rollout({ eventId: 'b', queuedAt: '2026-01-01T00:00:01.000Z', position: 1 }),
      );
      await queue().enqueue(
        rollout({ eventId: 'c', queuedAt: '2026-01-01T00:00:01.000Z', position: 0 }),
      );
      await queue().enqueue(rollout({ functionName: 'orders-eu', eventId: 'a' }));
      expect(events(await queue().pending('orders'))).toEqual([
        'orders:c',
        'orders:b',
        'orders:z-late',
      ]);
      expect(events(await queue().pending('orders-eu'))).toEqual(['orders-eu:a']);
      const all = events(await queue().pending());
      expect(all.filter((e) => e.startsWith('orders:'))).toEqual([
        'orders:c',
        'orders:b',
        'orders:z-late',
      ]);
      expect(all).toHaveLength(4);
    });

    it('takes a settled rollout out for good: a redelivery of its event is not recorded again', async () => {
      await queue().enqueue(rollout());
      await queue().enqueue(rollout({ eventId: 'evt-2', queuedAt: '2026-01-01T00:00:01.000Z' }));
      await queue().settle('orders', 'evt-1', 'started');
      await queue().settle('orders', 'evt-1', 'refused');
      await queue().settle('orders', 'evt-unknown', 'started');
      expect(events(await queue().pending('orders'))).toEqual(['orders:evt-2']);
      expect(await queue().enqueue(rollout())).toBe(false);
      expect(events(await queue().pending())).toEqual(['orders:evt-2']);
    });
  });
}

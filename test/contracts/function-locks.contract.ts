/** The FunctionLocks contract: one live holder per function, re-entrant for its owner, expiring. */
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../services/core/errors.ts';
import type { FunctionLocks } from '../../services/core/ports.ts';
import { freshSubject, type MakeSubject } from './subject.ts';

/** Registers the FunctionLocks contract for one implementation. */
export function describeFunctionLocksContract(
  implementation: string,
  make: MakeSubject<FunctionLocks>,
): void {
  describe(`FunctionLocks contract (${implementation})`, () => {
    const subject = freshSubject(make);
    const locks = () => subject().port;

    it('takes a free lock until now + ttl, and getLock shows it', async () => {
      const lock = { functionName: 'orders', owner: 'd-A', expiresAt: 1_900 };
      await expect(locks().acquireLock('orders', 'd-A', 1_000, 900)).resolves.toStrictEqual(lock);
      await expect(locks().getLock('orders')).resolves.toStrictEqual(lock);
    });

    it('returns null from getLock when no one holds the lock', async () => {
      await expect(locks().getLock('orders')).resolves.toBeNull();
    });

    it('lets the holder take its lock again and extends it (a retried Prepare)', async () => {
      await locks().acquireLock('orders', 'd-A', 1_000, 900);
      await expect(locks().acquireLock('orders', 'd-A', 1_200, 900)).resolves.toMatchObject({
        expiresAt: 2_100,
      });
      await expect(locks().getLock('orders')).resolves.toMatchObject({ expiresAt: 2_100 });
    });

    it('refuses another owner while the lock lives, naming the holder', async () => {
      await locks().acquireLock('orders', 'd-A', 1_000, 900);
      const contender = locks().acquireLock('orders', 'd-B', 1_899, 900);
      await expect(contender).rejects.toBeInstanceOf(ConflictError);
      await expect(contender).rejects.toThrow('function orders is locked by deployment d-A');
      await expect(locks().getLock('orders')).resolves.toMatchObject({ owner: 'd-A' });
    });

    it('lets another owner take a lock from the second it expires', async () => {
      await locks().acquireLock('orders', 'd-A', 1_000, 900);
      await expect(locks().acquireLock('orders', 'd-B', 1_900, 900)).resolves.toStrictEqual({
        functionName: 'orders',
        owner: 'd-B',
        expiresAt: 2_800,
      });
      await expect(locks().getLock('orders')).resolves.toMatchObject({ owner: 'd-B' });
    });

    it('keeps locks per function', async () => {
      await locks().acquireLock('orders', 'd-A', 1_000, 900);
      await expect(locks().acquireLock('billing', 'd-B', 1_000, 900)).resolves.toMatchObject({
        owner: 'd-B',
      });
    });

    it('ignores a release by someone who does not hold the lock, or of no lock', async () => {
      await locks().acquireLock('orders', 'd-A', 1_000, 900);
      await locks().releaseLock('orders', 'd-B');
      await locks().releaseLock('billing', 'd-B');
      await expect(locks().getLock('orders')).resolves.toMatchObject({ owner: 'd-A' });
      await expect(locks().getLock('billing')).resolves.toBeNull();
    });

    it('releases the lock for its owner, so another can take it', async () => {
      await locks().acquireLock('orders', 'd-A', 1_000, 900);
      await locks().releaseLock('orders', 'd-A');
      await expect(locks().getLock('orders')).resolves.toBeNull();
      await expect(locks().acquireLock('orders', 'd-B', 1_001, 900)).resolves.toMatchObject({
        owner: 'd-B',
      });
    });

    it('lets exactly one of 10 concurrent owners win; the others are told who', async () => {
      const owners = Array.from({ length: 10 }, (_, i) => `d-${i}`);
      const results = await Promise.allSettled(
        owners.map((owner) => locks().acquireLock('orders', owner, 1_000, 900)),
      );
      const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.owner] : []));
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
      expect(won).toHaveLength(1);
      for (const error of lost) {
        expect(error).toBeInstanceOf(ConflictError);
        expect(error.message).toBe(`function orders is locked by deployment ${won[0]}`);
      }
      await expect(locks().getLock('orders')).resolves.toMatchObject({ owner: won[0] });
    });

    // Not in the contract: what getLock returns for an expired lock nobody replaced. DynamoDB's
    // TTL deletes it at some unspecified time (dynalite and moto never do), so either answer is
    // the real store's; callers compare expiresAt themselves.
  });
}

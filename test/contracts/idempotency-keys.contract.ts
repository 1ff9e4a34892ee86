/** The IdempotencyKeys contract: a key is stored once, and expires by the injected clock. */
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../services/core/errors.ts';
import type { IdempotencyKeys, IdempotencyRecord } from '../../services/core/ports.ts';
import { freshSubject, type MakeSubject, nowSeconds } from './subject.ts';

/** Registers the IdempotencyKeys contract for one implementation. */
export function describeIdempotencyKeysContract(
  implementation: string,
  make: MakeSubject<IdempotencyKeys>,
): void {
  describe(`IdempotencyKeys contract (${implementation})`, () => {
    const subject = freshSubject(make);
    const keys = () => subject().port;
    const record = (overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
      key: 'payments:abc',
      requestHash: 'sha256:body',
      deploymentId: 'd-1',
      expiresAt: nowSeconds(subject().clock) + 60,
      ...overrides,
    });

    it('stores a key and returns it as stored', async () => {
      const stored = record();
      await keys().putIdempotencyKey(stored);
      await expect(keys().getIdempotencyKey(stored.key)).resolves.toStrictEqual(stored);
    });

    it('returns null for an unknown key', async () => {
      await expect(keys().getIdempotencyKey('payments:missing')).resolves.toBeNull();
    });

    it('refuses a live key twice with ConflictError, keeping the first', async () => {
      const first = record();
      await keys().putIdempotencyKey(first);
      await expect(
        keys().putIdempotencyKey({ ...first, deploymentId: 'd-2' }),
      ).rejects.toBeInstanceOf(ConflictError);
      await expect(keys().getIdempotencyKey(first.key)).resolves.toStrictEqual(first);
    });

    it('keeps a key until the second it expires; then it is absent', async () => {
      const stored = record();
      await keys().putIdempotencyKey(stored);
      subject().clock.advance(59_000);
      await expect(keys().getIdempotencyKey(stored.key)).resolves.toStrictEqual(stored);
      subject().clock.advance(1_000);
      await expect(keys().getIdempotencyKey(stored.key)).resolves.toBeNull();
    });

    it('lets an expired key be stored again', async () => {
      await keys().putIdempotencyKey(record());
      subject().clock.advance(61_000);
      const reused = record({ deploymentId: 'd-3' });
      await keys().putIdempotencyKey(reused);
      await expect(keys().getIdempotencyKey(reused.key)).resolves.toStrictEqual(reused);
    });
  });
}

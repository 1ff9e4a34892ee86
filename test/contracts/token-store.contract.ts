/** The TokenStore contract: the team of a token hash. */
import { describe, expect, it } from 'vitest';
import type { TokenStore } from '../../services/core/ports.ts';
import { freshSubject, type MakeSubject } from './subject.ts';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

/** Registers the TokenStore contract for one implementation. */
export function describeTokenStoreContract(
  implementation: string,
  make: MakeSubject<TokenStore>,
): void {
  describe(`TokenStore contract (${implementation})`, () => {
    const subject = freshSubject(make);
    const tokens = () => subject().port;

    it('knows no team of an unknown hash', async () => {
      await expect(tokens().teamOf(HASH_A)).resolves.toBeNull();
    });

    it('returns the team a hash was stored with, and only for that hash', async () => {
      await tokens().putToken(HASH_A, 'payments');
      await expect(tokens().teamOf(HASH_A)).resolves.toBe('payments');
      await expect(tokens().teamOf(HASH_B)).resolves.toBeNull();
    });

    it('replaces the team of a hash stored again', async () => {
      await tokens().putToken(HASH_A, 'payments');
      await tokens().putToken(HASH_A, 'platform');
      await expect(tokens().teamOf(HASH_A)).resolves.toBe('platform');
    });
  });
}

/** The TokenStore contract: the team of a token hash, the tokens listed by id, revocation. */
import { describe, expect, it } from 'vitest';
import type { TokenStore } from '../../services/core/ports.ts';
import { freshSubject, type MakeSubject } from './subject.ts';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
const MADE = { createdAt: '2026-12-01T10:00:00.000Z', createdBy: 'token:platform:cccccccccccc' };
const LATER = { createdAt: '2026-12-01T11:00:00.000Z', createdBy: 'local mode' };

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
      await tokens().putToken(HASH_A, 'payments', MADE);
      await expect(tokens().teamOf(HASH_A)).resolves.toBe('payments');
      await expect(tokens().teamOf(HASH_B)).resolves.toBeNull();
    });

    it('replaces the team of a hash stored again', async () => {
      await tokens().putToken(HASH_A, 'payments', MADE);
      await tokens().putToken(HASH_A, 'platform', MADE);
      await expect(tokens().teamOf(HASH_A)).resolves.toBe('platform');
      await expect(tokens().list()).resolves.toHaveLength(1);
    });

    it('lists every token oldest first by the first 12 hex of its hash, never the hash', async () => {
      await tokens().putToken(HASH_B, 'search', LATER);
      await tokens().putToken(HASH_A, 'payments', MADE);
      const listed = await tokens().list();
      expect(listed).toEqual([
        { id: 'aaaaaaaaaaaa', team: 'payments', ...MADE },
        { id: 'bbbbbbbbbbbb', team: 'search', ...LATER },
      ]);
      expect(JSON.stringify(listed)).not.toContain(HASH_A);
    });

    it('revokes a token by its id at once, and only that one', async () => {
      await tokens().putToken(HASH_A, 'payments', MADE);
      await tokens().putToken(HASH_B, 'search', LATER);
      await expect(tokens().revoke('aaaaaaaaaaaa')).resolves.toBe(true);
      await expect(tokens().teamOf(HASH_A)).resolves.toBeNull();
      await expect(tokens().teamOf(HASH_B)).resolves.toBe('search');
      expect((await tokens().list()).map((t) => t.id)).toEqual(['bbbbbbbbbbbb']);
    });

    it('answers false when revoking an id it does not know', async () => {
      await tokens().putToken(HASH_A, 'payments', MADE);
      await expect(tokens().revoke('bbbbbbbbbbbb')).resolves.toBe(false);
      await expect(tokens().teamOf(HASH_A)).resolves.toBe('payments');
    });
  });
}

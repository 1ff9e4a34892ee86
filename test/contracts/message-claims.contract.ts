/** The MessageClaims contract: one send per (channel, deployment, status), until the claim expires. */
import { describe, expect, it } from 'vitest';
import type { MessageClaim, MessageClaims } from '../../services/core/ports.ts';
import { freshSubject, type MakeSubject } from './subject.ts';

/** The claims' lifetime the implementations are built with. */
export const CLAIM_TTL_SECONDS = 600;

const ID = 'd-01M8HC7YVQBKF5577ZYS09W285';
/** A claim of deployment ID's SUCCEEDED message on the notify channel, with overrides. */
export const claim = (overrides: Partial<MessageClaim> = {}): MessageClaim => ({
  channel: 'notify',
  deploymentId: ID,
  status: 'SUCCEEDED',
  ...overrides,
});

/** Registers the MessageClaims contract for one implementation. */
export function describeMessageClaimsContract(
  implementation: string,
  make: MakeSubject<MessageClaims>,
): void {
  describe(`MessageClaims contract (${implementation})`, () => {
    const subject = freshSubject(make);
    const claims = () => subject().port;

    it('claims a message once, and each channel, deployment and status apart', async () => {
      expect(await claims().claim(claim())).toBe(true);
      expect(await claims().claim(claim())).toBe(false);
      expect(await claims().claim(claim({ channel: 'reply' }))).toBe(true);
      expect(await claims().claim(claim({ status: 'ROLLED_BACK' }))).toBe(true);
      expect(await claims().claim(claim({ deploymentId: `${ID.slice(0, -1)}6` }))).toBe(true);
    });

    it('lets exactly one of many concurrent claims win', async () => {
      const won = await Promise.all(Array.from({ length: 10 }, () => claims().claim(claim())));
      expect(won.filter(Boolean)).toHaveLength(1);
    });

    it('frees a released claim for the next attempt; releasing nothing is fine', async () => {
      await claims().release(claim());
      expect(await claims().claim(claim())).toBe(true);
      await claims().release(claim());
      expect(await claims().claim(claim())).toBe(true);
      expect(await claims().claim(claim())).toBe(false);
    });

    it('holds a claim until it expires, then frees it (expired, not yet swept, is free)', async () => {
      expect(await claims().claim(claim())).toBe(true);
      subject().clock.advance((CLAIM_TTL_SECONDS - 1) * 1000);
      expect(await claims().claim(claim())).toBe(false);
      subject().clock.advance(1000);
      expect(await claims().claim(claim())).toBe(true);
      expect(await claims().claim(claim())).toBe(false);
    });
  });
}

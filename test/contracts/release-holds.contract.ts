/**
 * The ReleaseHolds contract: each deployment's current wait, the last one put, until it expires by
 * the injected clock; cleared only by the token it was put with.
 */
import { describe, expect, it } from 'vitest';
import type { ReleaseHold, ReleaseHolds } from '../../services/core/ports.ts';
import { freshSubject, type MakeSubject, nowSeconds } from './subject.ts';

/** A hold of `deploymentId` with callback token `token`, gone at `expiresAt`. */
export const holdRecord = (
  deploymentId: string,
  token: string,
  expiresAt: number,
  kind: ReleaseHold['kind'] = 'step',
): ReleaseHold => ({
  deploymentId,
  kind,
  token,
  since: '2026-11-28T12:00:00.000Z',
  expiresAt,
});

/** Registers the ReleaseHolds contract for one implementation. */
export function describeReleaseHoldsContract(
  implementation: string,
  make: MakeSubject<ReleaseHolds>,
): void {
  describe(`ReleaseHolds contract (${implementation})`, () => {
    const subject = freshSubject(make);
    const holds = () => subject().port;
    const inAnHour = () => nowSeconds(subject().clock) + 3600;

    it('has no hold for a deployment that never waited', async () => {
      await expect(holds().getHold('d-1')).resolves.toBeNull();
    });

    it('reads a hold back as it was put', async () => {
      const hold = holdRecord('d-1', 'token-1', inAnHour(), 'approval');
      await holds().putHold(hold);
      await expect(holds().getHold('d-1')).resolves.toEqual(hold);
    });

    it('keeps one hold per deployment: a second put replaces the first', async () => {
      const expiresAt = inAnHour();
      await holds().putHold(holdRecord('d-1', 'token-1', expiresAt));
      await holds().putHold(holdRecord('d-1', 'token-2', expiresAt + 60, 'approval'));
      await expect(holds().getHold('d-1')).resolves.toEqual(
        holdRecord('d-1', 'token-2', expiresAt + 60, 'approval'),
      );
    });

    it('clears the hold with its own token', async () => {
      await holds().putHold(holdRecord('d-1', 'token-1', inAnHour()));
      await holds().clearHold('d-1', 'token-1');
      await expect(holds().getHold('d-1')).resolves.toBeNull();
    });

    it('leaves a newer hold when an earlier one is cleared with the earlier token', async () => {
      const expiresAt = inAnHour();
      await holds().putHold(holdRecord('d-1', 'token-1', expiresAt));
      await holds().putHold(holdRecord('d-1', 'token-2', expiresAt));
      await holds().clearHold('d-1', 'token-1');
      await expect(holds().getHold('d-1')).resolves.toEqual(
        holdRecord('d-1', 'token-2', expiresAt),
      );
    });

    it('is idempotent: clearing no hold, or a cleared one, is fine', async () => {
      await expect(holds().clearHold('d-1', 'token-1')).resolves.toBeUndefined();
      await holds().putHold(holdRecord('d-1', 'token-1', inAnHour()));
      await holds().clearHold('d-1', 'token-1');
      await expect(holds().clearHold('d-1', 'token-1')).resolves.toBeUndefined();
    });

    it('returns the hold until the second it expires; then null', async () => {
      await holds().putHold(holdRecord('d-1', 'token-1', nowSeconds(subject().clock) + 60));
      subject().clock.advance(58_000);
      await expect(holds().getHold('d-1')).resolves.not.toBeNull();
      subject().clock.advance(2_000);
      await expect(holds().getHold('d-1')).resolves.toBeNull();
    });

    it('keeps the holds of two deployments apart', async () => {
      const expiresAt = inAnHour();
      await holds().putHold(holdRecord('d-1', 'token-1', expiresAt));
      await holds().putHold(holdRecord('d-2', 'token-2', expiresAt, 'approval'));
      await holds().clearHold('d-2', 'token-1');
      await holds().clearHold('d-1', 'token-2');
      await expect(holds().getHold('d-1')).resolves.toEqual(
        holdRecord('d-1', 'token-1', expiresAt),
      );
      await expect(holds().getHold('d-2')).resolves.toEqual(
        holdRecord('d-2', 'token-2', expiresAt, 'approval'),
      );
      await holds().clearHold('d-2', 'token-2');
      await expect(holds().getHold('d-1')).resolves.not.toBeNull();
      await expect(holds().getHold('d-2')).resolves.toBeNull();
    });

    it('hands out copies: changing what was read changes nothing stored', async () => {
      const hold = holdRecord('d-1', 'token-1', inAnHour());
      await holds().putHold(hold);
      const read = (await holds().getHold('d-1')) as { token: string };
      read.token = 'changed';
      await expect(holds().getHold('d-1')).resolves.toEqual(hold);
    });
  });
}

/** The SlackUserLinks contract: Slack users linked to teams. */
import { describe, expect, it } from 'vitest';
import type { SlackUserLink, SlackUserLinks } from '../../services/core/ports.ts';
import { freshSubject, type MakeSubject } from './subject.ts';

const link = (userId: string, team: string): SlackUserLink => ({
  userId,
  team,
  linkedBy: 'token:platform:abc',
  linkedAt: '2026-11-28T12:00:00.000Z',
});

const byUser = (links: SlackUserLink[]) =>
  [...links].sort((a, b) => a.userId.localeCompare(b.userId));

/** Registers the SlackUserLinks contract for one implementation. */
export function describeSlackUserLinksContract(
  implementation: string,
  make: MakeSubject<SlackUserLinks>,
): void {
  describe(`SlackUserLinks contract (${implementation})`, () => {
    const subject = freshSubject(make);
    const links = () => subject().port;

    it('knows no team of a user who is not linked, and lists no one', async () => {
      await expect(links().teamOf('U0ANN')).resolves.toBeNull();
      await expect(links().list()).resolves.toStrictEqual([]);
    });

    it('links a user to a team', async () => {
      await links().link(link('U0ANN', 'payments'));
      await expect(links().teamOf('U0ANN')).resolves.toBe('payments');
      await expect(links().list()).resolves.toStrictEqual([link('U0ANN', 'payments')]);
    });

    it('relinks a user linked again', async () => {
      await links().link(link('U0ANN', 'payments'));
      await links().link(link('U0ANN', 'search'));
      await expect(links().teamOf('U0ANN')).resolves.toBe('search');
      await expect(links().list()).resolves.toStrictEqual([link('U0ANN', 'search')]);
    });

    // The order of list is not part of the port: compared by user id.
    it('lists every linked user once', async () => {
      const stored = [link('W0BOB', 'search'), link('U0ANN', 'payments'), link('U0CAT', 'search')];
      for (const l of stored) await links().link(l);
      expect(byUser(await links().list())).toStrictEqual(byUser(stored));
    });

    it('unlinks a user, and unlinking one who is not linked is fine', async () => {
      await links().link(link('U0ANN', 'payments'));
      await links().link(link('W0BOB', 'search'));
      await links().unlink('U0ANN');
      await links().unlink('U0ANN');
      await links().unlink('U0NONE');
      await expect(links().teamOf('U0ANN')).resolves.toBeNull();
      await expect(links().list()).resolves.toStrictEqual([link('W0BOB', 'search')]);
    });
  });
}

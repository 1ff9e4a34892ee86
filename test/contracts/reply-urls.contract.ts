/** The ReplyUrls contract: a deployment's reply URL, until it expires by the injected clock. */
import { describe, expect, it } from 'vitest';
import type { ReplyUrls } from '../../services/core/ports.ts';
import { freshSubject, type MakeSubject, nowSeconds } from './subject.ts';

const URL_1 = 'https://hooks.slack.com/commands/T1/1/abc';
const URL_2 = 'https://hooks.slack.com/commands/T1/2/def';

/** Registers the ReplyUrls contract for one implementation. */
export function describeReplyUrlsContract(
  implementation: string,
  make: MakeSubject<ReplyUrls>,
): void {
  describe(`ReplyUrls contract (${implementation})`, () => {
    const subject = freshSubject(make);
    const replies = () => subject().port;

    it('returns null for a deployment without a reply URL', async () => {
      await expect(replies().getReplyUrl('d-1')).resolves.toBeNull();
    });

    it('returns the URL until the second it expires; then null', async () => {
      await replies().putReplyUrl('d-1', URL_1, nowSeconds(subject().clock) + 60);
      await expect(replies().getReplyUrl('d-1')).resolves.toBe(URL_1);
      await expect(replies().getReplyUrl('d-2')).resolves.toBeNull();
      subject().clock.advance(59_000);
      await expect(replies().getReplyUrl('d-1')).resolves.toBe(URL_1);
      subject().clock.advance(1_000);
      await expect(replies().getReplyUrl('d-1')).resolves.toBeNull();
    });

    it('replaces the URL and its expiry when put again', async () => {
      const now = nowSeconds(subject().clock);
      await replies().putReplyUrl('d-1', URL_1, now + 10);
      await replies().putReplyUrl('d-1', URL_2, now + 600);
      subject().clock.advance(60_000);
      await expect(replies().getReplyUrl('d-1')).resolves.toBe(URL_2);
    });
  });
}

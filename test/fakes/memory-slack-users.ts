import type { SlackUserLink, SlackUserLinks } from '../../services/core/ports.ts';
import { byUtf8, copyOut } from './copy.ts';

/** In-memory SlackUserLinks with the DynamoDB adapter's semantics (copies, listed by user id). */
export class MemorySlackUserLinks implements SlackUserLinks {
  private readonly links = new Map<string, SlackUserLink>();

  async teamOf(userId: string): Promise<string | null> {
    return this.links.get(userId)?.team ?? null;
  }

  async link(link: SlackUserLink): Promise<void> {
    this.links.set(link.userId, copyOut(link));
  }

  async unlink(userId: string): Promise<void> {
    this.links.delete(userId);
  }

  async list(): Promise<SlackUserLink[]> {
    return [...this.links.entries()]
      .sort(([a], [b]) => byUtf8(a, b))
      .map(([, link]) => copyOut(link));
  }
}

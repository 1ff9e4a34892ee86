import type { TokenStore } from '../../services/core/ports.ts';

/** In-memory TokenStore: token hashes → teams. */
export class MemoryTokenStore implements TokenStore {
  /** Hash → team, for tests that look at what was stored. */
  readonly teams = new Map<string, string>();

  async teamOf(tokenHash: string): Promise<string | null> {
    return this.teams.get(tokenHash) ?? null;
  }

  async putToken(tokenHash: string, team: string): Promise<void> {
    this.teams.set(tokenHash, team);
  }
}

import type { TokenInfo, TokenMade, TokenStore } from '../../services/core/ports.ts';
import { tokenId } from '../../services/core/token-id.ts';

/** In-memory TokenStore: token hashes → teams and who made them. */
export class MemoryTokenStore implements TokenStore {
  /** Hash → team, for tests that look at what was stored. */
  readonly teams = new Map<string, string>();
  private readonly made = new Map<string, TokenMade>();

  async teamOf(tokenHash: string): Promise<string | null> {
    return this.teams.get(tokenHash) ?? null;
  }

  async putToken(tokenHash: string, team: string, made: TokenMade): Promise<void> {
    this.teams.set(tokenHash, team);
    this.made.set(tokenHash, made);
  }

  async list(): Promise<TokenInfo[]> {
    return [...this.teams]
      .map(([hash, team]) => ({ id: tokenId(hash), team, ...(this.made.get(hash) as TokenMade) }))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async revoke(id: string): Promise<boolean> {
    const hash = [...this.teams.keys()].find((h) => tokenId(h) === id);
    if (hash === undefined) return false;
    this.teams.delete(hash);
    this.made.delete(hash);
    return true;
  }
}

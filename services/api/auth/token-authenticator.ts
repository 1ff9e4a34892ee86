import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import type { Authenticator, Caller } from '../deps.ts';

/** Where hashed bearer tokens live. */
export interface TokenStore {
  /** The team of a token hash, or null. */
  teamOf(tokenHash: string): Promise<string | null>;
  putToken(tokenHash: string, team: string): Promise<void>;
}

/** SHA-256 of a token, hex: only hashes are stored, so a leaked table leaks no tokens. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Makes a token for `team`, stores its hash and returns the token (shown once). */
export async function issueToken(store: TokenStore, team: string): Promise<string> {
  const token = `ferry_${randomBytes(24).toString('base64url')}`;
  await store.putToken(hashToken(token), team);
  return token;
}

/**
 * Local mode's bearer-token auth. The lookup is by hash, so there is no string comparison of
 * secrets to time; an unknown token and a missing one both mean unauthenticated.
 */
export function tokenAuthenticator(store: TokenStore, adminTeam: string): Authenticator {
  return {
    async authenticate(c: Context): Promise<Caller | null> {
      const header = c.req.header('authorization') ?? '';
      const match = /^Bearer ([A-Za-z0-9_\-.~+/=]{16,256})$/.exec(header);
      if (!match?.[1]) return null;
      const team = await store.teamOf(hashToken(match[1]));
      return team ? { principal: `token:${team}`, team, admin: team === adminTeam } : null;
    },
  };
}

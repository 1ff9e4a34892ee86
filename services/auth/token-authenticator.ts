import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import type { TokenStore } from '../core/ports.ts';
import { tokenId } from '../core/token-id.ts';
import type { Authenticator, Caller } from './authenticator.ts';

export type { TokenStore } from '../core/ports.ts';

const TOKEN = /^[A-Za-z0-9_\-.~+/=]{16,256}$/;

/** SHA-256 of a token, hex: only hashes are stored, so a leaked table leaks no tokens. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Who makes a token and when. @default - local mode, now */
export interface TokenIssue {
  readonly createdBy?: string;
  readonly now?: Date;
}

const made = (issue: TokenIssue) => ({
  createdAt: (issue.now ?? new Date()).toISOString(),
  createdBy: issue.createdBy ?? 'local mode',
});

/** Makes a token for `team`, stores its hash and returns the token: the only time it is seen. */
export async function issueToken(
  store: TokenStore,
  team: string,
  issue: TokenIssue = {},
): Promise<string> {
  const token = `ferry_${randomBytes(24).toString('base64url')}`;
  await store.putToken(hashToken(token), team, made(issue));
  return token;
}

/** Stores the hash of a token chosen by the operator (local mode's `FERRY_ADMIN_TOKEN`). */
export async function registerToken(
  store: TokenStore,
  token: string,
  team: string,
  issue: TokenIssue = {},
): Promise<void> {
  if (!TOKEN.test(token)) {
    throw new Error(
      `a bearer token must be 16-256 characters of [A-Za-z0-9_-.~+/=]; got ${token.length} characters`,
    );
  }
  await store.putToken(hashToken(token), team, made(issue));
}

/**
 * Local mode's bearer-token auth. The secret is never compared as a string: it is hashed (fixed
 * time in its length) and looked up by hash, so response timing can only reveal facts about a
 * hash, from which no token can be recovered. Unknown and malformed tokens are both a 401.
 */
export function tokenAuthenticator(store: TokenStore, adminTeam: string): Authenticator {
  async function verifyToken(token: string): Promise<Caller | null> {
    if (!TOKEN.test(token)) return null;
    const hash = hashToken(token);
    const team = await store.teamOf(hash);
    if (!team) return null;
    // A hash prefix tells a team's tokens apart in the audit trail without revealing any.
    return { principal: `token:${team}:${tokenId(hash)}`, team, admin: team === adminTeam };
  }
  return {
    challenge: 'Bearer realm="ferry"',
    verifyToken,
    async authenticate(c: Context): Promise<Caller | null> {
      const match = /^Bearer (\S+)$/i.exec(c.req.header('authorization') ?? '');
      return match?.[1] ? verifyToken(match[1]) : null;
    },
  };
}

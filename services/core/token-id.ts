/** A bearer token's public name: the first 12 hex of its SHA-256 hash (never enough to find it). */
export function tokenId(tokenHash: string): string {
  return tokenHash.slice(0, 12);
}

/** What a token id looks like (`ferry tokens revoke <id>`). */
export const TOKEN_ID = /^[0-9a-f]{12}$/;

import type { Context } from 'hono';
import { describe, expect, it } from 'vitest';
import { MemoryTokenStore } from '../../test/fakes/memory-tokens.ts';
import { hashToken, issueToken, registerToken, tokenAuthenticator } from './token-authenticator.ts';

const withAuthorization = (value?: string) =>
  ({
    req: { header: (name: string) => (name === 'authorization' ? value : undefined) },
  }) as Context;

describe('Function: tokenAuthenticator', () => {
  it('issues a token once and stores only its SHA-256 hash', async () => {
    const store = new MemoryTokenStore();
    const token = await issueToken(store, 'payments');
    expect(token).toMatch(/^ferry_[A-Za-z0-9_-]{32}$/);
    expect([...store.teams]).toEqual([[hashToken(token), 'payments']]);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('authenticates a bearer token as its team, with a principal that does not reveal it', async () => {
    const store = new MemoryTokenStore();
    const token = await issueToken(store, 'payments');
    const caller = await tokenAuthenticator(store, 'platform').authenticate(
      withAuthorization(`Bearer ${token}`),
    );
    expect(caller).toEqual({
      principal: `token:payments:${hashToken(token).slice(0, 12)}`,
      team: 'payments',
      admin: false,
    });
    expect(caller?.principal).not.toContain(token);
  });

  it('marks the admin team', async () => {
    const store = new MemoryTokenStore();
    await registerToken(store, 'operator-chosen-admin-token', 'platform');
    const caller = await tokenAuthenticator(store, 'platform').authenticate(
      withAuthorization('Bearer operator-chosen-admin-token'),
    );
    expect(caller).toMatchObject({ team: 'platform', admin: true });
  });

  it.each([
    ['no header', undefined],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['an unknown token', 'Bearer ferry_0123456789abcdefghijklmnop'],
    ['a token too short', 'Bearer short'],
    ['a token with a space', 'Bearer ferry_0123456789 abcdefghij'],
  ])('answers null for %s', async (_, header) => {
    const store = new MemoryTokenStore();
    await issueToken(store, 'payments');
    expect(
      await tokenAuthenticator(store, 'platform').authenticate(withAuthorization(header)),
    ).toBeNull();
  });

  it('refuses to register a token outside the token alphabet', async () => {
    await expect(registerToken(new MemoryTokenStore(), 'bad token', 'platform')).rejects.toThrow(
      /16-256 characters/,
    );
  });

  it('offers a Bearer challenge for 401 answers', () => {
    expect(tokenAuthenticator(new MemoryTokenStore(), 'platform').challenge).toBe(
      'Bearer realm="ferry"',
    );
  });
});

describe('Function: tokenAuthenticator (verifyToken, the web login)', () => {
  it('verifies a bare token as the same caller a bearer header gives, and refuses unknown or malformed ones', async () => {
    const store = new MemoryTokenStore();
    const token = await issueToken(store, 'payments');
    const auth = tokenAuthenticator(store, 'platform');
    expect(await auth.verifyToken?.(token)).toEqual(
      await auth.authenticate(withAuthorization(`Bearer ${token}`)),
    );
    expect(await auth.verifyToken?.('ferry_0123456789abcdefghijklmnop')).toBeNull();
    expect(await auth.verifyToken?.('bad token with spaces')).toBeNull();
  });

  it('reads no cookie: only the Authorization header authenticates API requests', async () => {
    const store = new MemoryTokenStore();
    const token = await issueToken(store, 'payments');
    const withCookieOnly = {
      req: { header: (name: string) => (name === 'cookie' ? `ferry_session=${token}` : undefined) },
    } as Context;
    expect(await tokenAuthenticator(store, 'platform').authenticate(withCookieOnly)).toBeNull();
  });
});

/** The web page's sign-in: login form, session cookie, redirects, CSRF, and the API untouched by cookies. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../services/api/app.ts';
import { iamAuthenticator } from '../../services/auth/iam-authenticator.ts';
import { type ApiWorld, createApiWorld } from '../api/api-world.ts';

let world: ApiWorld;
const ORIGIN = 'http://localhost';

beforeAll(async () => {
  world = await createApiWorld();
});
afterAll(async () => {
  await world?.close();
});

/** Posts the login form as a browser on this site would. */
const login = (
  token: string,
  extra: Record<string, string> = {},
  headers: Record<string, string> = {},
) =>
  world.app.request('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...headers },
    body: new URLSearchParams({ token, ...extra }).toString(),
  });

/** The `name=value` part of the session cookie a response sets. */
const sessionOf = (res: Response) =>
  /ferry_session=[^;]*/.exec(res.headers.get('set-cookie') ?? '')?.[0];

describe('Web page: sign-in (local mode, tokens)', () => {
  it('redirects an anonymous browser to the login form, remembering the page', async () => {
    const res = await world.app.request('/functions/orders?cursor=x');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(
      `/login?next=${encodeURIComponent('/functions/orders?cursor=x')}`,
    );
  });

  it('serves a login form with a token field under a no-script content security policy', async () => {
    const res = await world.app.request('/login?next=/functions/orders');
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(body).toMatch(/^<!DOCTYPE html>/);
    expect(body).toContain('<form class="login" method="post" action="/login">');
    expect(body).toContain('name="token" type="password"');
    expect(body).toContain('name="next" value="/functions/orders"');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses an unknown token with the form again and sets no cookie', async () => {
    const res = await login('ferry_not_a_token_we_issued_000');
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('That token is not valid here');
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('sets an HttpOnly, SameSite=Strict session cookie for a valid token and goes back to the page', async () => {
    const res = await login(world.token.payments, { next: '/functions/orders' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/functions/orders');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^ferry_session=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');

    const page = await world.app.request('/functions/orders', {
      headers: { cookie: sessionOf(res) ?? '' },
    });
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('<h1>orders</h1>');
    expect(body).toContain('Sign out');
  });

  it('marks the cookie Secure when the request came over https', async () => {
    const res = await login(world.token.payments, {}, { 'x-forwarded-proto': 'https' });
    expect(res.headers.get('set-cookie')).toContain('Secure');
  });

  it('never redirects off the site after login', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const res = await login(world.token.payments, { next });
      expect(res.headers.get('location')).toBe('/');
    }
  });

  it('refuses a login form posted from another site (login CSRF)', async () => {
    const res = await login(world.token.payments, {}, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('signs out by clearing the cookies, from a page of the session only', async () => {
    const signedIn = await login(world.token.payments);
    const cookie = signedIn.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const page = await (await world.app.request('/', { headers: { cookie } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const logout = (form: Record<string, string>) =>
      world.app.request('/logout', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, cookie },
        body: new URLSearchParams(form).toString(),
      });
    const forged = await logout({});
    expect(forged.status).toBe(403);
    expect(forged.headers.get('set-cookie')).toBeNull();
    const res = await logout({ csrf });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login');
    expect(res.headers.getSetCookie()).toEqual([
      expect.stringMatching(/^ferry_session=;.*Max-Age=0/),
      expect.stringMatching(/^ferry_form=;.*Max-Age=0/),
    ]);
  });

  it('sends a stale or forged cookie back to the login form', async () => {
    const res = await world.app.request('/', {
      headers: { cookie: 'ferry_session=ferry_forged_token_0000000000' },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login?next=%2F');
  });

  it('accepts the API bearer token on pages too (no sign-out then)', async () => {
    const res = await world.app.request('/', {
      headers: { authorization: `Bearer ${world.token.payments}` },
    });
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(body).toContain('href="/functions/orders"');
    expect(body).not.toContain('Sign out');
  });

  it('keeps the /v1 JSON API on bearer tokens: a session cookie alone is a 401 problem', async () => {
    const cookie = sessionOf(await login(world.token.platform)) ?? '';
    expect(cookie).not.toBe('');
    const res = await world.app.request('/v1/functions/orders', { headers: { cookie } });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('Web page: sign-in on AWS (IAM)', () => {
  it('answers 401 pages without a login form, which IAM auth has no use for', async () => {
    const app = createApp({ ...world.deps, authenticator: iamAuthenticator([], 'platform') });
    const page = await app.request('/');
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('SigV4');
    expect((await app.request('/login')).status).toBe(404);
  });
});

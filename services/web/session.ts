/**
 * Who is looking at a page: the API's own credentials (SigV4 on AWS, `Authorization: Bearer`
 * locally), else — local mode only — the token in the session cookie the login form set.
 * The cookie is read here, for the UI's GET pages, and never by the /v1 JSON API: a browser
 * sends cookies by itself, so an API that honoured them would be open to cross-site requests.
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Authenticator, Caller } from '../auth/authenticator.ts';

/** The session cookie's name. */
export const SESSION_COOKIE = 'ferry_session';

/** The session's random id, from which its form token is derived (see form-token.ts). */
export const FORM_COOKIE = 'ferry_form';

/** A session lasts a working day; signing in again is cheap. */
const SESSION_SECONDS = 8 * 60 * 60;

/** Behind a TLS-terminating proxy the request URL says http; the proxy's header says https. */
function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}

/** Cookie options: HttpOnly, SameSite=Strict, Secure over https, for the whole site. */
export function cookieOptions(c: Context) {
  return { httpOnly: true, sameSite: 'Strict', secure: isHttps(c), path: '/' } as const;
}

/**
 * Keeps `token` in an HttpOnly, SameSite=Strict cookie (Secure over https), with a new random
 * session id beside it: each sign-in gets its own form token.
 */
export function startSession(c: Context, token: string): void {
  setCookie(c, SESSION_COOKIE, token, { ...cookieOptions(c), maxAge: SESSION_SECONDS });
  newFormId(c);
}

/** Clears the session cookies. */
export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
  deleteCookie(c, FORM_COOKIE, { path: '/', secure: isHttps(c) });
}

/** Sets a new random session id and returns it. */
function newFormId(c: Context): string {
  const id = randomBytes(18).toString('base64url');
  setCookie(c, FORM_COOKIE, id, { ...cookieOptions(c), maxAge: SESSION_SECONDS });
  return id;
}

/**
 * The cookie session's token and id, or null without a session cookie. A session started before
 * ids existed gets one now (set on this response), so its pages carry forms too.
 */
export function sessionOf(c: Context): { token: string; id: string } | null {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return null;
  return { token, id: getCookie(c, FORM_COOKIE) || newFormId(c) };
}

/** The signed-in caller and whether it came from the cookie (then it may sign out), or null. */
export async function findViewer(
  c: Context,
  authenticator: Authenticator,
): Promise<{ caller: Caller; viaCookie: boolean } | null> {
  const caller = await authenticator.authenticate(c);
  if (caller) return { caller, viaCookie: false };
  const token = getCookie(c, SESSION_COOKIE);
  if (!token || !authenticator.verifyToken) return null;
  const fromCookie = await authenticator.verifyToken(token);
  return fromCookie ? { caller: fromCookie, viaCookie: true } : null;
}

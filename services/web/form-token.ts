/**
 * The form token that proves a POST came from one of our own pages: a per-session synchronizer
 * token, HMAC-SHA256 of the session's random id keyed by the session's secret (the token in the
 * HttpOnly cookie). Nothing is stored server-side, and neither a page on another site (which can
 * read neither cookie nor our pages) nor a cookie planted from a sibling host (which lacks the
 * secret) can produce it. Checked on top of hono/csrf's Origin / Sec-Fetch-Site test and the
 * SameSite=Strict cookie.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { sessionOf } from './session.ts';

/** The hidden field every form carries. */
export const FORM_TOKEN_FIELD = 'csrf';

/** The token of the session `c` carries, or null without a cookie session (nothing to forge). */
export function formTokenOf(c: Context): string | null {
  const session = sessionOf(c);
  if (!session) return null;
  return createHmac('sha256', session.token)
    .update(`ferry web form ${session.id}`)
    .digest('base64url');
}

/** Whether `sent` is this session's form token; compared in constant time. */
export function isFormToken(c: Context, sent: unknown): boolean {
  const expected = formTokenOf(c);
  if (!expected || typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

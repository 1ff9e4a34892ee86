/** Page responses: a doctype, the HTML, and headers that keep private pages private. */
import type { Context } from 'hono';
import type { BodyData } from 'hono/utils/body';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Caller } from '../auth/authenticator.ts';
import type { Flash } from './flash.ts';

/**
 * The web routes' context: who is looking, whether through the session cookie, the session's
 * form token (null without a cookie session: no forms then), the result of the last form, and a
 * posted form's fields.
 */
export interface WebEnv {
  Variables: {
    caller: Caller;
    viaCookie: boolean;
    formToken: string | null;
    flash: Flash | null;
    form: BodyData;
  };
}

/**
 * No script runs on these pages, so the policy allows none: an injection that escaped escaping
 * still could not execute. Inline styles only (the one stylesheet and the timeline bars).
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Seconds between reloads of a page showing a deployment in flight. */
export const REFRESH_SECONDS = 2;

/** Renders a page with its status and security headers. */
export async function htmlPage(
  c: Context,
  status: ContentfulStatusCode,
  page: HtmlEscapedString | Promise<HtmlEscapedString>,
): Promise<Response> {
  c.header('content-security-policy', CONTENT_SECURITY_POLICY);
  // Pages show a team's private history: never cached, never framed, referrer kept in-site.
  c.header('cache-control', 'no-store');
  c.header('x-content-type-options', 'nosniff');
  c.header('x-frame-options', 'DENY');
  c.header('referrer-policy', 'same-origin');
  // The page is escaped HTML already (hono/jsx escapes every value); only the doctype is added.
  return c.html(`<!DOCTYPE html>${await page}`, status);
}

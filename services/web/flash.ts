/**
 * The result of a form, shown on the page the browser is sent back to (303): kept in a
 * short-lived HttpOnly cookie for that page's path rather than in the URL, so a link cannot make
 * a page claim a result. A page that reloads itself (a deployment in flight, as after a rollback
 * or an approve) keeps showing it through its reloads until the cookie expires; any other page
 * shows it once.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { isDeploymentId } from '../core/ids.ts';
import { cookieOptions } from './session.ts';

const FLASH_COOKIE = 'ferry_flash';

/** A message must fit a cookie with room to spare. */
const MAX_TEXT = 600;

/** Long enough to be read across a few of an in-flight page's 2 s reloads. */
const FLASH_SECONDS = 20;

const flashSchema = z.object({
  kind: z.enum(['ok', 'error']),
  text: z.string().max(MAX_TEXT),
  /** A deployment the message is about (the rollback it started): linked. */
  deploymentId: z.string().refine(isDeploymentId).optional(),
});

/** A form's result. */
export type Flash = z.output<typeof flashSchema>;

/** Sends `flash` with this response, for the page at `path` (a local path, no query). */
export function setFlash(c: Context, path: string, flash: Flash): void {
  const text = flash.text.length > MAX_TEXT ? `${flash.text.slice(0, MAX_TEXT - 1)}…` : flash.text;
  setCookie(c, FLASH_COOKIE, JSON.stringify({ ...flash, text }), {
    ...cookieOptions(c),
    path,
    maxAge: FLASH_SECONDS,
  });
}

/** Clears the flash of the page being answered (shown once). */
export function clearFlash(c: Context): void {
  if (getCookie(c, FLASH_COOKIE) === undefined) return;
  deleteCookie(c, FLASH_COOKIE, { ...cookieOptions(c), path: c.req.path });
}

/** The flash the request carries; null when none or unreadable. */
export function readFlash(c: Context): Flash | null {
  const value = getCookie(c, FLASH_COOKIE);
  if (value === undefined) return null;
  try {
    const parsed = flashSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

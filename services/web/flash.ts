/**
 * The result of a form, shown once on the page the browser is sent back to (303): kept in a
 * short-lived HttpOnly cookie rather than the URL, so a link cannot make the page claim a result.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { isDeploymentId } from '../core/ids.ts';
import { cookieOptions } from './session.ts';

const FLASH_COOKIE = 'ferry_flash';

/** A message must fit a cookie with room to spare. */
const MAX_TEXT = 600;

const flashSchema = z.object({
  kind: z.enum(['ok', 'error']),
  text: z.string().max(MAX_TEXT),
  /** A deployment the message is about (the rollback it started): linked. */
  deploymentId: z.string().refine(isDeploymentId).optional(),
});

/** A form's result. */
export type Flash = z.output<typeof flashSchema>;

/** Sends `flash` with this response, for the next page. */
export function setFlash(c: Context, flash: Flash): void {
  const text = flash.text.length > MAX_TEXT ? `${flash.text.slice(0, MAX_TEXT - 1)}…` : flash.text;
  setCookie(c, FLASH_COOKIE, JSON.stringify({ ...flash, text }), {
    ...cookieOptions(c),
    maxAge: 60,
  });
}

/** The flash the request carries, cleared with this response; null when none or unreadable. */
export function takeFlash(c: Context): Flash | null {
  const value = getCookie(c, FLASH_COOKIE);
  if (value === undefined) return null;
  deleteCookie(c, FLASH_COOKIE, { path: '/' });
  try {
    const parsed = flashSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Figures and times as the web page shows them. */
import { formatBytes, formatDuration } from '../cli/render.ts';

export { formatBytes, formatDuration };

/** Lambda's function names: anything else is no function of Ferry's (a 404 page). */
export const FUNCTION_NAME = /^[a-zA-Z0-9-_]{1,64}$/;

/** `text` cut to `max` characters with `…`; the whole text goes in a title or another page. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/**
 * A smoke figure: `null` is the runtime reporting none ("not reported", never a made-up 0);
 * `undefined` is no smoke at all.
 */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null) return 'not reported';
  return formatDuration(ms);
}

/** `2026-11-28 10:00:01 UTC`, or `-`. */
export function formatTime(iso: string | undefined): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return '-';
  return `${new Date(iso).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Milliseconds from `from` to `to` (or to `now` while running). */
export function elapsedMs(from: string, to: string | undefined, now: Date): number {
  return (to ? Date.parse(to) : now.getTime()) - Date.parse(from);
}

/** `sha256:0123456789ab` (12 hex digits tell releases apart), or `-`. */
export function shortDigest(digest: string | null | undefined): string {
  if (!digest) return '-';
  const [algorithm, hex] = digest.split(':');
  return hex ? `${algorithm}:${hex.slice(0, 12)}` : digest.slice(0, 19);
}

/** The URL when it is http(s) — never `javascript:` or another scheme — else undefined. */
export function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** A same-site path to go back to after login; anything else (`//evil`, `https://…`) is `/`. */
export function localPath(next: string | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/';
  return next;
}

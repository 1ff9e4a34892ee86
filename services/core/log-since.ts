/**
 * When a logs read starts: a duration back from now (`30s`, `10m`, `2h`, `7d`), as `ferry logs
 * --since` takes it, or an ISO 8601 time. The API and the CLI read it with this one function.
 */

const DURATION = /^(\d{1,6})([smhd])$/;
const ISO_TIME =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** What `since` accepts, for messages. */
export const SINCE_FORMS = 'a duration back from now (30s, 10m, 2h, 7d) or an ISO 8601 time';

/** The time `text` stands for, or null when it is neither form. */
export function parseSince(text: string, now: Date): Date | null {
  const duration = DURATION.exec(text);
  if (duration) {
    const unit = duration[2] as keyof typeof UNIT_MS;
    return new Date(now.getTime() - Number(duration[1]) * UNIT_MS[unit]);
  }
  if (!ISO_TIME.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : new Date(at);
}

/**
 * Pages of a function's log events and their cursors, shared by the FunctionLogs implementations.
 * A cursor is opaque to callers (base64url JSON) and each implementation's own:
 * - stores that number their lines in writing order (the local log store, the fake) page with
 *   `pageOf`: the cursor is the last line number read, so a follower gets each line once, late
 *   ones included;
 * - CloudWatch's events have no such number: its cursor is a {@link TimePosition}, a time
 *   before which everything was seen and the ids seen since (several lines can share one
 *   millisecond, and lines can arrive late).
 */
import { z } from 'zod';
import { InvalidRequestError } from './errors.ts';
import type { FunctionLogEvent, FunctionLogPage, FunctionLogQuery } from './ports.ts';

/** The opaque text of a cursor's content. */
export function encodeLogCursor(content: unknown): string {
  return Buffer.from(JSON.stringify(content)).toString('base64url');
}

/** A cursor's content; InvalidRequestError (`invalid-cursor`) for text no page returned. */
export function decodeLogCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const result = schema.safeParse(parsed);
  if (!result.success)
    throw new InvalidRequestError('cursor is not one a logs page returned', {
      kind: 'invalid-cursor',
      field: 'cursor',
    });
  return result.data;
}

// ---------------------------------------------------------------- numbered lines

/** A line with its number in its function's log (writing order) and its time. */
export interface NumberedLogEvent {
  readonly seq: number;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly event: FunctionLogEvent;
}

const seqCursor = z.strictObject({ seq: z.number().int().min(0) });

/**
 * A page of one function's numbered lines, already of the asked version; `newest` is the highest
 * number in the whole log, so a tail's cursor also passes over other versions' lines.
 */
export function pageOf(
  events: readonly NumberedLogEvent[],
  query: FunctionLogQuery,
  newest: number,
): FunctionLogPage {
  const bySeq = [...events].sort((a, b) => a.seq - b.seq);
  if (!query.cursor) {
    const since = query.since.getTime();
    const tail = bySeq
      .filter((e) => e.at >= since)
      .sort((a, b) => a.at - b.at || a.seq - b.seq)
      .slice(-query.limit);
    return { events: tail.map((e) => e.event), cursor: encodeLogCursor({ seq: newest }) };
  }
  const { seq } = decodeLogCursor(query.cursor, seqCursor);
  const page = bySeq.filter((e) => e.seq > seq).slice(0, query.limit);
  const last = page.length === query.limit ? (page.at(-1)?.seq ?? seq) : Math.max(seq, newest);
  return { events: page.map((e) => e.event), cursor: encodeLogCursor({ seq: last }) };
}

// ---------------------------------------------------------------- timestamped events

/**
 * Where a reader of timestamped events stopped. CloudWatch takes a line in when the environment
 * that wrote it ships it, so a line can arrive after later lines of another stream were read: a
 * position keeps the last LATE_MS before the newest line read open, with the ids it has seen
 * there, and the next read looks at that window again.
 */
export interface TimePosition {
  /** Epoch milliseconds: every event before it has been seen. */
  readonly floor: number;
  /** The events at or after `floor` that have been seen: id and time. */
  readonly seen: ReadonlyArray<readonly [id: string, at: number]>;
}

/** An event with its time and an id unique in its log. */
export interface TimedLogEvent {
  readonly id: string;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly event: FunctionLogEvent;
}

/** How long after a newer line a late one is still picked up. */
export const LATE_MS = 30_000;
/** Most ids a position keeps (a cursor travels in a URL); past it, the window narrows. */
export const MAX_SEEN = 200;

const timeCursor = z.strictObject({
  f: z.number().int().min(0),
  s: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,16}\.[0-9]{1,9}$/)).max(MAX_SEEN),
});

/** The cursor of a position: `seen` times as offsets from `floor`, to keep it short. */
export function encodeTimeCursor(position: TimePosition): string {
  const s = position.seen.map(([id, at]) => `${id}.${at - position.floor}`);
  return encodeLogCursor({ f: position.floor, s });
}

/** Where a query of timestamped events starts: its cursor's position, else `since`. */
export function timeStartOf(query: FunctionLogQuery): TimePosition {
  if (!query.cursor) return { floor: query.since.getTime(), seen: [] };
  const { f, s } = decodeLogCursor(query.cursor, timeCursor);
  return {
    floor: f,
    seen: s.map((entry) => {
      const dot = entry.lastIndexOf('.');
      return [entry.slice(0, dot), f + Number(entry.slice(dot + 1))] as const;
    }),
  };
}

/** True when a reader at `position` has not seen the event. */
export function isNew(position: TimePosition, event: TimedLogEvent): boolean {
  return event.at >= position.floor && !position.seen.some(([id]) => id === event.id);
}

/** Where a reader stands after `read` (the new events it took, oldest first), having stood at `start`. */
export function positionAfter(start: TimePosition, read: readonly TimedLogEvent[]): TimePosition {
  const seen = [...start.seen, ...read.map((e) => [e.id, e.at] as const)].sort(
    (a, b) => a[1] - b[1],
  );
  const newest = seen.at(-1)?.[1] ?? start.floor;
  let floor = Math.max(start.floor, newest - LATE_MS);
  let kept = seen.filter(([, at]) => at >= floor);
  if (kept.length > MAX_SEEN) {
    const cut = kept[kept.length - MAX_SEEN - 1]?.[1] ?? newest;
    if (cut < newest) {
      // Past the bound the window narrows: the oldest seen times leave it whole.
      floor = cut + 1;
      kept = kept.filter(([, at]) => at >= floor);
    } else {
      // More lines in the newest millisecond than the bound: some of them may show again, but
      // none that was not shown is skipped.
      floor = newest;
      kept = kept.slice(-MAX_SEEN);
    }
  }
  return { floor, seen: kept };
}

/**
 * Pages of a function's log events and their cursors, shared by the FunctionLogs implementations.
 * A cursor is opaque to callers (base64url JSON) and each implementation's own:
 * - stores that number their lines in writing order (the local log store, the fake) page with
 *   `pageOf`: the cursor is the last line number read, so a follower gets each line once, late
 *   ones included;
 * - CloudWatch's events have no such number: its cursor is a {@link TimePosition}, the last
 *   timestamp read and the ids of the events at it already returned (several can share one
 *   millisecond).
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

/** Where a reader of timestamped events stopped: the last timestamp, the ids seen at it. */
export interface TimePosition {
  /** Epoch milliseconds. */
  readonly at: number;
  readonly ids: readonly string[];
}

/** An event with its time and an id unique in its log. */
export interface TimedLogEvent {
  readonly id: string;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly event: FunctionLogEvent;
}

/** Most ids a position keeps (a cursor travels in a URL); past it, the next millisecond starts. */
export const MAX_POSITION_IDS = 300;

const timeCursor = z.strictObject({
  at: z.number().int().min(0),
  ids: z.array(z.string().max(32)).max(MAX_POSITION_IDS),
});

/** Where a query of timestamped events starts: its cursor's position, else `since`. */
export function timeStartOf(query: FunctionLogQuery): TimePosition {
  return query.cursor
    ? decodeLogCursor(query.cursor, timeCursor)
    : { at: query.since.getTime(), ids: [] };
}

/** True when the event comes after the position (not yet seen by a reader there). */
export const isAfter = (position: TimePosition, at: number, id: string): boolean =>
  at > position.at || (at === position.at && !position.ids.includes(id));

/** Where a reader stands after `read` (oldest first), having stood at `start`. */
export function positionAfter(start: TimePosition, read: readonly TimedLogEvent[]): TimePosition {
  const last = read.at(-1);
  if (!last) return start;
  const atLast = read.filter((e) => e.at === last.at).map((e) => e.id);
  const ids = last.at === start.at ? [...start.ids, ...atLast] : atLast;
  return ids.length > MAX_POSITION_IDS ? { at: last.at + 1, ids: [] } : { at: last.at, ids };
}

/**
 * Pages of a function's log events, the same way for every FunctionLogs implementation: the
 * cursor is where the last page ended (a timestamp and the ids of the events at it already
 * returned, since several events can share a millisecond), so a follower polling with it gets
 * each event once and none twice. Implementations that hold their events in memory page them
 * with `pageOf`; CloudWatch's adapter reads from the position it decodes.
 */
import { z } from 'zod';
import { InvalidRequestError } from './errors.ts';
import type { FunctionLogEvent, FunctionLogPage, FunctionLogQuery } from './ports.ts';

/** Where a reader stopped: the last timestamp read and the ids of the events at it it has seen. */
export interface LogPosition {
  /** Epoch milliseconds. */
  readonly at: number;
  readonly ids: readonly string[];
}

/** An event with what ordering and cursors need: its time and an id unique in its log. */
export interface StoredLogEvent {
  readonly id: string;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly event: FunctionLogEvent;
}

const positionSchema = z.strictObject({
  at: z.number().int().min(0),
  ids: z.array(z.string().max(128)).max(1000),
});

/** The opaque text of a position (base64url JSON). */
export function encodeLogCursor(position: LogPosition): string {
  return Buffer.from(JSON.stringify({ at: position.at, ids: position.ids })).toString('base64url');
}

/** The position a cursor stands for; InvalidRequestError (`invalid-cursor`) for any other text. */
export function decodeLogCursor(cursor: string): LogPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const result = positionSchema.safeParse(parsed);
  if (!result.success)
    throw new InvalidRequestError('cursor is not one a logs page returned', {
      kind: 'invalid-cursor',
      field: 'cursor',
    });
  return result.data;
}

/** True when the event comes after the position (not yet seen by a reader there). */
export const isAfter = (position: LogPosition, at: number, id: string): boolean =>
  at > position.at || (at === position.at && !position.ids.includes(id));

/** Where a reader stands after `read` (oldest first), having stood at `start`. */
export function positionAfter(start: LogPosition, read: readonly StoredLogEvent[]): LogPosition {
  const last = read.at(-1);
  if (!last) return start;
  const atLast = read.filter((e) => e.at === last.at).map((e) => e.id);
  return { at: last.at, ids: last.at === start.at ? [...start.ids, ...atLast] : atLast };
}

/** Where a query starts: its cursor's position, else just before `since`. */
export function startOf(query: FunctionLogQuery): LogPosition {
  return query.cursor ? decodeLogCursor(query.cursor) : { at: query.since.getTime(), ids: [] };
}

/**
 * A page of `events` (oldest first, one function's, of the asked version already): the newest
 * `limit` since `since` without a cursor, the next `limit` after it with one.
 */
export function pageOf(
  events: readonly StoredLogEvent[],
  query: FunctionLogQuery,
): FunctionLogPage {
  const start = startOf(query);
  const after = events.filter((e) => isAfter(start, e.at, e.id));
  const page = query.cursor ? after.slice(0, query.limit) : after.slice(-query.limit);
  // A tail skips the older events on purpose: the cursor stands after everything read.
  const position = positionAfter(start, query.cursor ? page : after);
  return { events: page.map((e) => e.event), cursor: encodeLogCursor(position) };
}

import { describe, expect, it } from 'vitest';
import {
  encodeTimeCursor,
  isNew,
  LATE_MS,
  MAX_SEEN,
  positionAfter,
  type TimedLogEvent,
  timeStartOf,
} from './log-page.ts';

const at0 = Date.parse('2026-12-01T12:00:00.000Z');
const event = (id: string, at: number): TimedLogEvent => ({
  id,
  at,
  event: { timestamp: new Date(at).toISOString(), version: '1', message: id },
});
const since = new Date(at0 - 60_000);

describe('Function: positionAfter (timestamped events)', () => {
  it('keeps the last LATE_MS open with the ids seen there, and round-trips through the cursor', () => {
    const read = [event('a', at0), event('b', at0 + LATE_MS), event('c', at0 + LATE_MS + 5)];
    const position = positionAfter({ floor: since.getTime(), seen: [] }, read);
    expect(position.floor).toBe(at0 + 5);
    expect(position.seen.map(([id]) => id)).toEqual(['b', 'c']);
    const back = timeStartOf({ since, limit: 10, cursor: encodeTimeCursor(position) });
    expect(back).toEqual(position);
    expect(isNew(back, event('c', at0 + LATE_MS + 5))).toBe(false);
    expect(isNew(back, event('late', at0 + 10))).toBe(true);
    expect(isNew(back, event('too-late', at0))).toBe(false);
  });

  it(`stays within ${MAX_SEEN} ids and a URL's length, narrowing the window first`, () => {
    const spread = Array.from({ length: 1000 }, (_, i) => event(`id${i}`, at0 + Math.floor(i / 5)));
    const position = positionAfter({ floor: since.getTime(), seen: [] }, spread);
    expect(position.seen.length).toBeLessThanOrEqual(MAX_SEEN);
    expect(encodeTimeCursor(position).length).toBeLessThan(8192);
    // Everything older than what it keeps counts as seen: nothing read comes again.
    expect(spread.filter((e) => isNew(position, e))).toEqual([]);
  });

  it('never skips a line of a millisecond holding more lines than the bound', () => {
    const burst = Array.from({ length: 1000 }, (_, i) => event(`id${i}`, at0));
    // A page that ends inside the burst.
    const position = positionAfter({ floor: since.getTime(), seen: [] }, burst.slice(0, 300));
    expect(position.seen.length).toBe(MAX_SEEN);
    expect(burst.slice(300).every((e) => isNew(position, e))).toBe(true);
    // At worst the lines it could not keep show again.
    expect(burst.slice(0, 300).filter((e) => isNew(position, e))).toHaveLength(300 - MAX_SEEN);
  });

  it('refuses a cursor that is not one it made', () => {
    for (const cursor of ['garbage', Buffer.from('{"f":-1,"s":[]}').toString('base64url')])
      expect(() => timeStartOf({ since, limit: 1, cursor })).toThrow(
        expect.objectContaining({ name: 'InvalidRequestError', kind: 'invalid-cursor' }),
      );
  });
});

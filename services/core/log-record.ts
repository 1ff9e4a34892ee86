/**
 * How a log line's own fields (level, message, timestamp, the keys of its invocation) are kept
 * apart from the data a caller logs with it: data can add fields, never replace one.
 */

/** A log line's data: named values beside the fixed message. */
export type LogData = Readonly<Record<string, unknown>>;

/** Where a data value whose key a line already owns is kept instead (`message` → `data_message`). */
export function movedKey(key: string, taken: (key: string) => boolean): string {
  let moved = `data_${key}`;
  while (taken(moved)) moved = `data_${moved}`;
  return moved;
}

/**
 * `data` made safe to merge after a line's own fields: a key in `reserved` (its value unknown
 * here, e.g. the timestamp a library adds) or in `keys` (the line's keys, with their values) is
 * moved under {@link movedKey}; a data value equal to the key's own is a repeat and is dropped.
 */
export function protectLogData(
  data: LogData | undefined,
  reserved: ReadonlySet<string>,
  keys: LogData = {},
): Record<string, unknown> {
  const safe: Record<string, unknown> = {};
  if (!data) return safe;
  const owned = (key: string) => reserved.has(key) || Object.hasOwn(keys, key);
  for (const [key, value] of Object.entries(data)) {
    if (Object.hasOwn(keys, key) && Object.is(keys[key], value)) continue;
    const target = owned(key)
      ? movedKey(key, (k) => owned(k) || Object.hasOwn(data, k) || k in safe)
      : key;
    safe[target] = value;
  }
  return safe;
}

/** One line as a record: its own fields first, then the data that does not collide with them. */
export function logRecord<Own extends LogData>(own: Own, data?: LogData): Own & LogData {
  return { ...own, ...protectLogData(data, new Set(), own) };
}

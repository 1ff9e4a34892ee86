/**
 * What the in-memory fakes share with DynamoDB's behaviour: values are copied in and out, and an
 * undefined value is not stored (the adapters marshal with `removeUndefinedValues`); keys sort
 * as DynamoDB sorts strings, by UTF-8 bytes.
 */

/** A deep copy of `value` without its undefined object fields and array elements. */
export function copyOut<T>(value: T): T {
  return strip(structuredClone(value)) as T;
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(strip);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, strip(v)]),
  );
}

/** Compares two strings the way DynamoDB orders string keys (UTF-8 bytes). */
export function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

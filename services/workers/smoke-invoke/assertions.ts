/**
 * Pure checks of a smoke invoke's response against the settings' assertions (the cold-start
 * gate is services/core/init-growth.ts).
 * Each returns the reasons it failed (empty when it passed), one sentence a person can act on.
 */

/** True when `actual` contains `expected`: objects by recursive subset, arrays and primitives by deep equality. */
export function containsJsonSubset(actual: unknown, expected: unknown): boolean {
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return false;
    return Object.entries(expected).every(
      ([key, value]) => Object.hasOwn(actual, key) && containsJsonSubset(actual[key], value),
    );
  }
  return deepEqual(actual, expected);
}

/** Structural equality of JSON values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isPlainObject(a) || isPlainObject(b)) {
    if (!isPlainObject(a) || !isPlainObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return Object.is(a, b);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What the response assertions need: the response payload as text and the settings. */
export interface ResponseExpectations {
  readonly expectStatusCode?: number;
  readonly expectJsonSubset?: unknown;
}

/** Checks the response payload against `expectStatusCode` and `expectJsonSubset`. */
export function checkResponse(payload: string, expect: ResponseExpectations): string[] {
  const wantsStatus = expect.expectStatusCode !== undefined;
  const wantsSubset = expect.expectJsonSubset !== undefined;
  if (!wantsStatus && !wantsSubset) return [];
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return [`response is not JSON (${excerpt(payload, 80)}), so the smoke assertions cannot hold`];
  }
  const reasons: string[] = [];
  if (wantsStatus) {
    const got = isPlainObject(body) ? body.statusCode : undefined;
    if (got !== expect.expectStatusCode) {
      reasons.push(
        `response statusCode is ${got === undefined ? 'missing' : JSON.stringify(got)}, expected ${expect.expectStatusCode}`,
      );
    }
  }
  if (wantsSubset && !containsJsonSubset(body, expect.expectJsonSubset)) {
    reasons.push(
      `response does not contain the expected JSON ${excerpt(JSON.stringify(expect.expectJsonSubset), 200)}`,
    );
  }
  return reasons;
}

/** The reason a FunctionError fails the smoke, with the runtime's errorType/errorMessage when given. */
export function functionErrorReason(functionError: string, payload: string): string {
  let detail = '';
  try {
    const body: unknown = JSON.parse(payload);
    if (isPlainObject(body)) {
      const type = typeof body.errorType === 'string' ? body.errorType : undefined;
      const message = typeof body.errorMessage === 'string' ? body.errorMessage : undefined;
      detail = [type, message].filter(Boolean).join(': ');
    }
  } catch {
    // Not JSON: the excerpt below says what came back.
  }
  if (!detail) detail = excerpt(payload, 200) || 'no error payload';
  return `the new version raised a FunctionError (${functionError}): ${detail}`;
}

function excerpt(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

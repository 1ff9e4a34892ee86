/**
 * Pure checks of a smoke invoke's response: the settings' assertions and the cold-start gate.
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

/** The cold-start gate's settings and figures. */
export interface ColdStartFigures {
  /** The new version's Init Duration; null when no cold start was reported. */
  readonly initDurationMs: number | null;
  /** The live release's Init Duration from its deployment record; null when unknown. */
  readonly liveInitDurationMs: number | null;
  /** Largest allowed growth (ratio); the gate is off when absent. */
  readonly maxInitGrowthRatio?: number;
  /** Growth below this many milliseconds never fails the gate. */
  readonly minInitDeltaMs: number;
}

/**
 * Fails when the new Init Duration exceeds the live one times the ratio AND by at least the
 * noise floor. Unknown figures never fail the gate: a warm invoke reports no Init Duration.
 */
export function checkColdStart(f: ColdStartFigures): string[] {
  if (f.maxInitGrowthRatio === undefined) return [];
  if (f.initDurationMs === null || f.liveInitDurationMs === null) return [];
  const delta = f.initDurationMs - f.liveInitDurationMs;
  if (f.initDurationMs <= f.liveInitDurationMs * f.maxInitGrowthRatio) return [];
  if (delta < f.minInitDeltaMs) return [];
  const ratio = f.liveInitDurationMs > 0 ? f.initDurationMs / f.liveInitDurationMs : Infinity;
  return [
    `cold start grew: Init Duration ${ms(f.initDurationMs)} vs ${ms(f.liveInitDurationMs)} for the live release ` +
      `(${ratio === Infinity ? 'from zero' : `${ratio.toFixed(2)}x`}, +${ms(delta)}; limit ${f.maxInitGrowthRatio}x ` +
      `beyond a ${f.minInitDeltaMs} ms noise floor): slim the image or its init code, or raise coldStart.maxInitGrowthRatio`,
  ];
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

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function excerpt(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

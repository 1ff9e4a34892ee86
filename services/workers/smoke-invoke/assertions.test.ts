import { describe, expect, it } from 'vitest';
import { checkResponse, containsJsonSubset, deepEqual, functionErrorReason } from './assertions.ts';

describe('Function: containsJsonSubset', () => {
  it.each([
    ['a flat subset', { ok: true, n: 1, extra: 'x' }, { ok: true }],
    ['a nested subset', { a: { b: { c: 1, d: 2 }, e: 3 } }, { a: { b: { c: 1 } } }],
    ['an equal array', { items: [1, { id: 2 }] }, { items: [1, { id: 2 }] }],
    ['an equal string', 'pong', 'pong'],
    ['an equal number', 42, 42],
    ['null', { v: null }, { v: null }],
    ['the empty object', { anything: 1 }, {}],
  ])('accepts %s', (_name, actual, expected) => {
    expect(containsJsonSubset(actual, expected)).toBe(true);
  });

  it.each([
    ['a different nested value', { a: { b: 1 } }, { a: { b: 2 } }],
    ['a missing key', { a: 1 }, { b: undefined }],
    ['an array with an extra element', { items: [1, 2, 3] }, { items: [1, 2] }],
    ['an array in another order', [1, 2], [2, 1]],
    ['an array whose object has extra keys', [{ id: 1, x: 2 }], [{ id: 1 }]],
    ['a string for a number', { n: '1' }, { n: 1 }],
    ['an array for an object', [{ ok: true }], { ok: true }],
    ['null for an object', null, { ok: true }],
    ['another primitive', 'pong', 'ping'],
  ])('rejects %s', (_name, actual, expected) => {
    expect(containsJsonSubset(actual, expected)).toBe(false);
  });
});

describe('Function: deepEqual', () => {
  it('compares objects regardless of key order', () => {
    expect(deepEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
  });

  it('tells objects with different keys apart', () => {
    expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(deepEqual({ a: 1, b: undefined }, { a: 1, c: undefined })).toBe(false);
  });
});

describe('Function: checkResponse', () => {
  it('passes anything when no assertion is set', () => {
    expect(checkResponse('not json', {})).toEqual([]);
  });

  it('fails a response that is not JSON when an assertion is set', () => {
    expect(checkResponse('<html>', { expectStatusCode: 200 })).toEqual([
      expect.stringMatching(/^response is not JSON \(<html>\)/),
    ]);
  });

  it('names a missing statusCode', () => {
    expect(checkResponse('{"body":"ok"}', { expectStatusCode: 200 })).toEqual([
      'response statusCode is missing, expected 200',
    ]);
  });

  it('reports every failed assertion', () => {
    const reasons = checkResponse('{"statusCode":404}', {
      expectStatusCode: 200,
      expectJsonSubset: { statusCode: 200 },
    });

    expect(reasons).toHaveLength(2);
  });

  it('passes a response that meets both assertions', () => {
    expect(
      checkResponse('{"statusCode":200,"body":{"ok":true}}', {
        expectStatusCode: 200,
        expectJsonSubset: { body: { ok: true } },
      }),
    ).toEqual([]);
  });
});

describe('Function: functionErrorReason', () => {
  it('quotes the runtime errorType and errorMessage', () => {
    expect(
      functionErrorReason('Unhandled', '{"errorType":"Error","errorMessage":"no DB_URL"}'),
    ).toBe('the new version raised a FunctionError (Unhandled): Error: no DB_URL');
  });

  it('falls back to the raw payload when it is not the runtime error shape', () => {
    expect(functionErrorReason('Handled', 'Task timed out')).toBe(
      'the new version raised a FunctionError (Handled): Task timed out',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { rieFunction } from './default-function.ts';
import type { LocalFunctionRecord } from './function-model.ts';

const fn = (name: string, lastModified?: string) =>
  ({ name, ...(lastModified ? { lastModified } : {}) }) as LocalFunctionRecord;

describe('rieFunction', () => {
  it('is null when no function exists and nothing is configured', () => {
    expect(rieFunction([], undefined)).toBeNull();
  });

  it('prefers a function named `function`, then the configured default', () => {
    const functions = [
      fn('a', '2026-01-02T00:00:00.000Z'),
      fn('function', '2026-01-01T00:00:00.000Z'),
    ];
    expect(rieFunction(functions, 'a')).toBe('function');
    expect(rieFunction([fn('a'), fn('b', '2026-01-02T00:00:00.000Z')], 'a')).toBe('a');
  });

  it('else takes the most recently created or updated; records without a time count as oldest', () => {
    const functions = [
      fn('old'),
      fn('newest', '2026-03-01T00:00:00.000Z'),
      fn('older', '2026-02-01T00:00:00.000Z'),
    ];
    expect(rieFunction(functions, undefined)).toBe('newest');
    expect(rieFunction([fn('x'), fn('y')], undefined)).toBe('y');
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_COLD_START, parseFunctionSettings } from './settings.ts';

describe('Function: parseFunctionSettings', () => {
  it('turns the cold-start gate on by default: 5 cold starts, 1.5× beyond a 100 ms noise floor', () => {
    expect(parseFunctionSettings({ team: 'payments' }).coldStart).toEqual({
      maxInitGrowthRatio: 1.5,
      minInitDeltaMs: 100,
      samples: 5,
      inconclusiveBlocks: false,
    });
    expect(DEFAULT_COLD_START).toEqual({
      maxInitGrowthRatio: 1.5,
      minInitDeltaMs: 100,
      samples: 5,
      inconclusiveBlocks: false,
    });
  });

  it('fills what a partial coldStart leaves out, and null turns the gate off', () => {
    expect(
      parseFunctionSettings({ team: 'p', coldStart: { minInitDeltaMs: 20 } }).coldStart,
    ).toEqual({
      maxInitGrowthRatio: 1.5,
      minInitDeltaMs: 20,
      samples: 5,
      inconclusiveBlocks: false,
    });
    expect(
      parseFunctionSettings({ team: 'p', coldStart: { maxInitGrowthRatio: null } }).coldStart,
    ).toEqual({
      maxInitGrowthRatio: null,
      minInitDeltaMs: 100,
      samples: 5,
      inconclusiveBlocks: false,
    });
  });

  it('refuses a ratio below 1 and a negative noise floor', () => {
    expect(() =>
      parseFunctionSettings({ team: 'p', coldStart: { maxInitGrowthRatio: 0.9 } }),
    ).toThrow();
    expect(() => parseFunctionSettings({ team: 'p', coldStart: { minInitDeltaMs: -1 } })).toThrow();
    // Fewer than three cold starts could never decide the gate.
    expect(() => parseFunctionSettings({ team: 'p', coldStart: { samples: 2 } })).toThrow();
    expect(() => parseFunctionSettings({ team: 'p', coldStart: { samples: 11 } })).toThrow();
  });
});

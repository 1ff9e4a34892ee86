import { describe, expect, it } from 'vitest';
import {
  applyConfiguration,
  checkConfiguration,
  configurationOf,
  DEFAULT_CONFIGURATION,
} from './function-config.ts';

describe('Function: checkConfiguration', () => {
  it("accepts Lambda's limits at both ends", () => {
    for (const ok of [
      { timeoutSeconds: 1 },
      { timeoutSeconds: 900 },
      { memorySizeMb: 128 },
      { memorySizeMb: 10240 },
      { ephemeralStorageMb: 512 },
      { ephemeralStorageMb: 10240 },
      { architecture: 'arm64' as const },
      { environment: { STAGE: 'prod', NODE_OPTIONS: '--enable-source-maps', PATH: '/bin' } },
    ]) {
      expect(() => checkConfiguration(ok)).not.toThrow();
    }
  });

  it('names the limit a value breaks, as Lambda does', () => {
    expect(() => checkConfiguration({ timeoutSeconds: 901 })).toThrow(
      "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900 (Timeout is 1-900 seconds)",
    );
    expect(() => checkConfiguration({ memorySizeMb: 127 })).toThrow(
      /Value '127' at 'memorySize' .* greater than or equal to 128/,
    );
    expect(() => checkConfiguration({ ephemeralStorageMb: 20000 })).toThrow(
      /at 'ephemeralStorage.size' .* less than or equal to 10240/,
    );
    expect(() => checkConfiguration({ timeoutSeconds: 1.5 })).toThrow(/whole number/);
  });

  it("refuses reserved keys with Lambda's message, naming each", () => {
    expect(() =>
      checkConfiguration({ environment: { AWS_REGION: 'x', OK: 'y', _HANDLER: 'z' } }),
    ).toThrow(
      'Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: AWS_REGION, _HANDLER',
    );
  });

  it('refuses variables over 4 KB in all, and keys that are not identifiers', () => {
    const half = 'x'.repeat(2040);
    expect(() => checkConfiguration({ environment: { A: half, B: half } })).not.toThrow();
    expect(() =>
      checkConfiguration({ environment: { A: half, B: half, C: 'x'.repeat(20) } }),
    ).toThrow(/exceeded the 4KB limit/);
    expect(() => checkConfiguration({ environment: { '1BAD': 'x' } })).toThrow(/not valid/);
  });
});

describe('Function: applyConfiguration', () => {
  it('changes only the fields given and replaces the environment whole, like Lambda', () => {
    const base = { ...DEFAULT_CONFIGURATION, environment: { A: '1', B: '2' } };
    expect(applyConfiguration(base, { timeoutSeconds: 30 })).toEqual({
      ...base,
      timeoutSeconds: 30,
    });
    expect(applyConfiguration(base, { environment: { C: '3' } }).environment).toEqual({ C: '3' });
  });

  it('fills fields a stored record lacks with the defaults', () => {
    expect(configurationOf({ timeoutSeconds: 30 })).toEqual({
      ...DEFAULT_CONFIGURATION,
      timeoutSeconds: 30,
    });
  });
});

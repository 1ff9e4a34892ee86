import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GcReport } from '../services/app/collect-garbage.ts';
import { silentLogger } from '../services/core/logger.ts';
import { gcIntervalFromEnv, startGcTimer } from './gc-timer.ts';

const empty: GcReport = {
  dryRun: false,
  takenAt: '2026-12-01T00:00:00.000Z',
  policy: {
    minimumAgeSeconds: 604_800,
    rollbackDepth: 3,
    functionRollbackDepths: {},
    imageRemoval: 'delete',
  },
  kept: { images: 0, versions: 0, byRule: {} },
  images: [],
  versions: [],
  skipped: [],
  stopped: [],
  bytesReclaimed: 0,
};

afterEach(() => {
  vi.useRealTimers();
});

describe('startGcTimer', () => {
  it('runs once per interval, never at start, and not after stop', async () => {
    vi.useFakeTimers();
    let runs = 0;
    const timer = startGcTimer({
      run: async () => {
        runs += 1;
        return empty;
      },
      intervalSeconds: 3600,
      logger: silentLogger,
    });
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(3600 * 1000);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(3600 * 1000);
    expect(runs).toBe(2);
    await timer.stop();
    await vi.advanceTimersByTimeAsync(10 * 3600 * 1000);
    expect(runs).toBe(2);
  });

  it('keeps going after a failed run', async () => {
    vi.useFakeTimers();
    let runs = 0;
    const timer = startGcTimer({
      run: async () => {
        runs += 1;
        throw new Error('registry down');
      },
      intervalSeconds: 60,
      logger: silentLogger,
    });
    await vi.advanceTimersByTimeAsync(120 * 1000);
    expect(runs).toBe(2);
    await timer.stop();
  });
});

describe('gcIntervalFromEnv', () => {
  it('is daily when unset, off for 0 or off, and refuses anything else that is not seconds', () => {
    expect(gcIntervalFromEnv(undefined)).toBe(86_400);
    expect(gcIntervalFromEnv('0')).toBeNull();
    expect(gcIntervalFromEnv('off')).toBeNull();
    expect(gcIntervalFromEnv('7200')).toBe(7200);
    expect(() => gcIntervalFromEnv('1h')).toThrow(/FERRY_GC_INTERVAL_SECONDS .* got "1h"/);
    expect(() => gcIntervalFromEnv('5')).toThrow(/at least 60/);
  });
});

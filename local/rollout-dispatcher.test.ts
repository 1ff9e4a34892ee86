/** The dispatcher loop: a pass at start and one after another, never two at once, stopped cleanly. */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../services/core/logger.ts';
import { startRolloutDispatcher } from './rollout-dispatcher.ts';

describe('Function: startRolloutDispatcher', () => {
  it('passes at once, then again after each pass, never two at a time', async () => {
    let passes = 0;
    let running = 0;
    let overlapped = false;
    const dispatcher = startRolloutDispatcher({
      pass: async () => {
        passes++;
        running++;
        overlapped ||= running > 1;
        await sleep(15);
        running--;
      },
      logger: silentLogger,
      intervalMs: 5,
    });
    expect(passes).toBe(1);
    await sleep(120);
    await dispatcher.stop();
    expect(passes).toBeGreaterThan(2);
    expect(overlapped).toBe(false);
  });

  it('keeps going after a failing pass, and stop waits for the pass under way', async () => {
    let passes = 0;
    let ended = 0;
    const dispatcher = startRolloutDispatcher({
      pass: async () => {
        passes++;
        await sleep(20);
        ended++;
        if (passes === 1) throw new Error('store unavailable');
      },
      logger: silentLogger,
      intervalMs: 5,
    });
    await sleep(35);
    await dispatcher.stop();
    expect(passes).toBeGreaterThanOrEqual(2);
    expect(ended).toBe(passes);
    const after = passes;
    await sleep(30);
    expect(passes).toBe(after);
  });

  it('passes again soon after a nudge instead of waiting out the interval, once per nudge burst', async () => {
    let passes = 0;
    let release: () => void = () => {};
    const dispatcher = startRolloutDispatcher({
      pass: async () => {
        passes++;
        if (passes === 2) await new Promise<void>((r) => (release = r));
      },
      logger: silentLogger,
      intervalMs: 3_600_000,
    });
    await sleep(10);
    expect(passes).toBe(1);
    dispatcher.nudge();
    await vi.waitFor(() => expect(passes).toBe(2));
    // Nudged while a pass runs: one more pass after it, not one per nudge.
    dispatcher.nudge();
    dispatcher.nudge();
    release();
    await vi.waitFor(() => expect(passes).toBe(3));
    await sleep(20);
    expect(passes).toBe(3);
    await dispatcher.stop();
    dispatcher.nudge();
    await sleep(20);
    expect(passes).toBe(3);
  });
});

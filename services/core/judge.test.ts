import { describe, expect, it } from 'vitest';
import { type JudgeInput, type JudgeThresholds, judge } from './judge.ts';
import type { VersionSample } from './ports.ts';

const thresholds: JudgeThresholds = {
  maxErrorRate: 0.05,
  maxThrottles: 0,
  minInvocations: 20,
  maxDurationP90Ms: null,
  maxErrorRateIncrease: null,
};

const sample = (over: Partial<VersionSample> = {}): VersionSample => ({
  invocations: 24,
  errors: 0,
  throttles: 0,
  durationP90Ms: 120,
  ...over,
});

/** The new version 7 and the old version 6 over a 60 s window. */
function input(
  candidate: Partial<VersionSample>,
  over: { baseline?: Partial<VersionSample> | null; thresholds?: Partial<JudgeThresholds> } = {},
): JudgeInput {
  const baseline = over.baseline === undefined ? { invocations: 31 } : over.baseline;
  return {
    candidate: { version: '7', sample: sample(candidate) },
    baseline: baseline === null ? null : { version: '6', sample: sample(baseline) },
    windowSeconds: 60,
    thresholds: { ...thresholds, ...over.thresholds },
  };
}

describe('judge', () => {
  it('fails a version over the error rate, with the figures side by side in one line', () => {
    const verdict = judge(input({ errors: 12 }));
    expect(verdict).toMatchObject({
      outcome: 'fail',
      failed: ['error-rate'],
      candidate: { version: '7', errorRate: 0.5 },
      baseline: { version: '6', errorRate: 0 },
      windowSeconds: 60,
    });
    expect(verdict.reason).toBe(
      'version 7: 12 errors in 24 invocations (50%) vs version 6: 0 in 31, 60 s window — error rate over the 5% limit',
    );
  });

  it('passes a healthy version and says so', () => {
    const verdict = judge(input({ errors: 1 }));
    expect(verdict).toMatchObject({ outcome: 'pass', failed: [] });
    expect(verdict.reason).toBe(
      'version 7: 1 error in 24 invocations (4.2%) vs version 6: 0 in 31, 60 s window — within limits',
    );
  });

  describe('error rate', () => {
    it('passes exactly at the limit and fails one error above it', () => {
      expect(judge(input({ invocations: 20, errors: 1 })).outcome).toBe('pass');
      expect(judge(input({ invocations: 20, errors: 2 })).outcome).toBe('fail');
      // 57 in 100 against 0.57: float rounding of the limit must not fail an equal rate.
      const limit = { thresholds: { maxErrorRate: 0.57 } };
      expect(judge(input({ invocations: 100, errors: 57 }, limit)).outcome).toBe('pass');
      expect(judge(input({ invocations: 100, errors: 58 }, limit)).outcome).toBe('fail');
    });

    it('a zero limit fails the first error', () => {
      const zero = { thresholds: { maxErrorRate: 0 } };
      expect(judge(input({ errors: 0 }, zero)).outcome).toBe('pass');
      expect(judge(input({ errors: 1 }, zero)).failed).toEqual(['error-rate']);
    });
  });

  describe('too few invocations', () => {
    it('gives no verdict below the minimum and judges exactly at it', () => {
      const few = judge(input({ invocations: 19, errors: 0 }));
      expect(few).toMatchObject({ outcome: 'too-few-invocations', failed: [] });
      expect(few.reason).toBe(
        'version 7: 0 errors in 19 invocations (0%) vs version 6: 0 in 31, 60 s window — too few invocations for a verdict: 19 of 20',
      );
      expect(judge(input({ invocations: 20, errors: 0 })).outcome).toBe('pass');
    });

    it('zero invocations: no rate, no percentage, no verdict', () => {
      const none = judge(input({ invocations: 0, errors: 0, durationP90Ms: null }));
      expect(none).toMatchObject({
        outcome: 'too-few-invocations',
        candidate: { errorRate: null },
      });
      expect(none.reason).toBe(
        'version 7: 0 errors in 0 invocations vs version 6: 0 in 31, 60 s window — too few invocations for a verdict: 0 of 20',
      );
    });

    it('a minimum of 0 passes a version nobody called', () => {
      const none = { invocations: 0, errors: 0, durationP90Ms: null };
      const verdict = judge(input(none, { thresholds: { minInvocations: 0 } }));
      expect(verdict).toMatchObject({ outcome: 'pass', candidate: { errorRate: null } });
    });

    it('fails early on errors that even the minimum of invocations could not bring under the limit', () => {
      // 20 × 5% = 1 error tolerated: 1 passes on to "too few", 2 fail already.
      expect(judge(input({ invocations: 3, errors: 1 })).outcome).toBe('too-few-invocations');
      const early = judge(input({ invocations: 3, errors: 2 }));
      expect(early).toMatchObject({ outcome: 'fail', failed: ['error-rate'] });
      expect(early.reason).toBe(
        'version 7: 2 errors in 3 invocations (66.7%) vs version 6: 0 in 31, 60 s window — 2 errors already exceed 5% of the 20 invocations a verdict needs',
      );
    });
  });

  describe('throttles', () => {
    it('passes at the limit and fails above it, at any invocation count', () => {
      const one = { thresholds: { maxThrottles: 1 } };
      expect(judge(input({ throttles: 1 }, one)).outcome).toBe('pass');
      const over = judge(input({ throttles: 2 }, one));
      expect(over).toMatchObject({ outcome: 'fail', failed: ['throttles'] });
      expect(over.reason).toBe(
        'version 7: 0 errors in 24 invocations (0%), 2 throttled vs version 6: 0 in 31, 60 s window — 2 throttles, limit 1',
      );
      const starved = judge(input({ invocations: 0, errors: 0, throttles: 5 }));
      expect(starved).toMatchObject({ outcome: 'fail', failed: ['throttles'] });
    });
  });

  describe('p90 Duration', () => {
    const limit = { thresholds: { maxDurationP90Ms: 500 } };

    it('passes at the limit, fails above it and shows the figure when it is judged', () => {
      expect(judge(input({ durationP90Ms: 500 }, limit)).outcome).toBe('pass');
      const slow = judge(input({ durationP90Ms: 812.34 }, limit));
      expect(slow).toMatchObject({ outcome: 'fail', failed: ['duration-p90'] });
      expect(slow.reason).toBe(
        'version 7: 0 errors in 24 invocations (0%), p90 812.3 ms vs version 6: 0 in 31, 60 s window — p90 Duration over the 500 ms limit',
      );
    });

    it('is not judged without a limit or without a figure', () => {
      expect(judge(input({ durationP90Ms: 99_999 })).outcome).toBe('pass');
      expect(judge(input({ durationP90Ms: null }, limit)).outcome).toBe('pass');
    });
  });

  describe('against the old version', () => {
    const relative = { thresholds: { maxErrorRate: 0.1, maxErrorRateIncrease: 0.01 } };

    it('fails a version under the absolute limit that errs more than the old one did', () => {
      const verdict = judge(
        input({ invocations: 100, errors: 8 }, { ...relative, baseline: { invocations: 100 } }),
      );
      expect(verdict).toMatchObject({ outcome: 'fail', failed: ['error-rate-vs-old'] });
      expect(verdict.reason).toBe(
        "version 7: 8 errors in 100 invocations (8%) vs version 6: 0 in 100, 60 s window — error rate 8% above the old version's, limit +1%",
      );
    });

    it('passes exactly at the allowed increase (7% vs 6% + 1 point)', () => {
      const at = { ...relative, baseline: { invocations: 100, errors: 6 } };
      expect(judge(input({ invocations: 100, errors: 7 }, at)).outcome).toBe('pass');
      expect(judge(input({ invocations: 100, errors: 8 }, at)).outcome).toBe('fail');
    });

    it('is not judged without an old version, or with one below the minimum of invocations', () => {
      const worse = { invocations: 100, errors: 8 };
      expect(judge(input(worse, { ...relative, baseline: null })).outcome).toBe('pass');
      const thin = { ...relative, baseline: { invocations: 19 } };
      expect(judge(input(worse, thin)).outcome).toBe('pass');
      expect(judge(input(worse, { ...relative, baseline: { invocations: 20 } })).outcome).toBe(
        'fail',
      );
    });

    it('says when there was no old version', () => {
      expect(judge(input({}, { baseline: null })).reason).toBe(
        'version 7: 0 errors in 24 invocations (0%) vs no old version, 60 s window — within limits',
      );
    });
  });

  it('lists every rule broken, in order, in the one line', () => {
    const all = {
      thresholds: { maxDurationP90Ms: 100, maxErrorRateIncrease: 0.01 },
      baseline: { invocations: 40 },
    };
    const verdict = judge(input({ errors: 6, throttles: 1, durationP90Ms: 250 }, all));
    expect(verdict.failed).toEqual([
      'throttles',
      'error-rate',
      'duration-p90',
      'error-rate-vs-old',
    ]);
    expect(verdict.reason).toBe(
      "version 7: 6 errors in 24 invocations (25%), 1 throttled, p90 250 ms vs version 6: 0 in 40, 60 s window — 1 throttle, limit 0; error rate over the 5% limit; p90 Duration over the 100 ms limit; error rate 25% above the old version's, limit +1%",
    );
  });

  it('shows a small non-zero rate as such, never as 0%', () => {
    const rare = judge(input({ invocations: 5000, errors: 1 }));
    expect(rare.reason).toContain('1 error in 5000 invocations (0.02%)');
  });
});

/** A deployment's traffic record for tests: a canary 10%/5 min holding its first step. */
import type { Traffic } from '../../services/core/traffic-words.ts';

export function aTraffic(overrides: Partial<Traffic> = {}): Traffic {
  return {
    strategy: { strategy: 'canary', percent: 10, intervalSeconds: 300 },
    steps: [
      { weight: 0.1, holdSeconds: 300 },
      { weight: 1, holdSeconds: 0 },
    ],
    step: 0,
    weight: 0.1,
    phase: 'holding',
    stepStartedAt: '2026-11-28T12:02:00.000Z',
    stepEndsAt: '2026-11-28T12:07:00.000Z',
    extensions: 0,
    judgements: [],
    preexistingAlarms: [],
    ...overrides,
  };
}

/** A judgement of step `step` that passed. */
export function aJudgement(
  overrides: Partial<Traffic['judgements'][number]> = {},
): Traffic['judgements'][number] {
  return {
    step: 0,
    weight: 0.1,
    from: '2026-11-28T12:02:00.000Z',
    to: '2026-11-28T12:07:00.000Z',
    outcome: 'pass',
    action: 'next',
    reason: 'version 7: 40 invocations, 0 errors (0.0%), 0 throttles',
    candidate: { version: '7', invocations: 40, errors: 0, throttles: 0, durationP90Ms: 12 },
    baseline: { version: '6', invocations: 360, errors: 0, throttles: 0, durationP90Ms: 11 },
    alarms: [],
    ...overrides,
  };
}

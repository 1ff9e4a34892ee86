import { describe, expect, it } from 'vitest';
import { aDeployment } from '../../test/fakes/deployments.ts';
import { aJudgement, aTraffic } from '../../test/fakes/traffic.ts';
import { trafficDetail } from './traffic-detail.ts';

describe('Function: trafficDetail', () => {
  it('gives the strategy, final weight, step, last judgement, provisioned concurrency and who decided', () => {
    const d = aDeployment({
      status: 'SUCCEEDED',
      traffic: aTraffic({
        step: 1,
        weight: 1,
        phase: 'complete',
        judgements: [aJudgement({ reason: 'first' }), aJudgement({ step: 0, reason: 'second' })],
        provisionedConcurrency: {
          version: '7',
          requested: 5,
          status: 'READY',
          requestedAt: '2026-11-28T12:01:00.000Z',
        },
      }),
      approval: { by: 'token:payments:alice', at: '2026-11-28T12:08:00.000Z' },
    });
    expect(trafficDetail(d)).toEqual({
      strategy: { strategy: 'canary', percent: 10, intervalSeconds: 300 },
      description: 'canary 10% for 5 min, then all',
      weight: 1,
      step: 2,
      steps: 2,
      phase: 'complete',
      judgements: 2,
      lastJudgement: { step: 1, outcome: 'pass', action: 'next', reason: 'second' },
      provisionedConcurrency: { version: '7', requested: 5, status: 'READY' },
      approval: { by: 'token:payments:alice', at: '2026-11-28T12:08:00.000Z' },
      abort: null,
    });
  });

  it('keeps an abort recorded before the release began, with no traffic figures', () => {
    const abort = { by: 'slack:T1:U1', at: '2026-11-28T12:01:00.000Z' };
    expect(trafficDetail(aDeployment({ status: 'ROLLED_BACK', abort }))).toMatchObject({
      strategy: null,
      weight: null,
      judgements: 0,
      abort,
    });
  });

  it('is null for a deployment that never reached its release steps', () => {
    expect(trafficDetail(aDeployment({ status: 'REJECTED' }))).toBeNull();
  });
});

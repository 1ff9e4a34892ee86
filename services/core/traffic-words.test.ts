import { describe, expect, it } from 'vitest';
import { aDeployment } from '../../test/fakes/deployments.ts';
import { aJudgement, aTraffic } from '../../test/fakes/traffic.ts';
import {
  describeStrategy,
  judgementLine,
  percentOf,
  provisioningLine,
  secondsInWords,
  trafficFacts,
  trafficLine,
} from './traffic-words.ts';

const now = new Date('2026-11-28T12:03:00.000Z');

describe('Module: traffic-words', () => {
  it('writes weights as percents, never a small share as 0%', () => {
    expect(percentOf(0.25)).toBe('25%');
    expect(percentOf(1)).toBe('100%');
    expect(percentOf(0)).toBe('0%');
    expect(percentOf(0.005)).toBe('0.5%');
  });

  it('writes durations in seconds, minutes or hours', () => {
    expect(secondsInWords(45)).toBe('45 s');
    expect(secondsInWords(300)).toBe('5 min');
    expect(secondsInWords(9000)).toBe('2 h 30 min');
    expect(secondsInWords(-3)).toBe('0 s');
  });

  it('describes each strategy', () => {
    expect(describeStrategy({ strategy: 'all-at-once' })).toBe('all at once');
    expect(describeStrategy({ strategy: 'canary', percent: 10, intervalSeconds: 300 })).toBe(
      'canary 10% for 5 min, then all',
    );
    expect(describeStrategy({ strategy: 'linear', percent: 20, intervalSeconds: 60 })).toBe(
      'linear +20% every 60 s',
    );
  });

  it('says where a release is: weight, version, step, phase and time left', () => {
    const d = aDeployment({
      release: { version: '7', digest: null, imageUri: null },
      traffic: aTraffic({ extensions: 1 }),
    });
    expect(trafficLine(d, now)).toBe(
      '10% → version 7 · step 1/2 · holding · 4 min left · extended 1×',
    );
    const judging = aDeployment({
      traffic: aTraffic({ phase: 'judging', judgements: [aJudgement()] }),
    });
    expect(trafficLine(judging, now)).toBe('10% → version 7 · step 1/2 · judging');
    expect(trafficLine(aDeployment(), now)).toBeNull();
  });

  it('writes a judgement and provisioned concurrency in one line each', () => {
    expect(
      judgementLine(aJudgement({ outcome: 'fail', action: 'rollback', reason: 'errors 12%' })),
    ).toBe('step 1 (10%): fail → rollback — errors 12%');
    const t = aTraffic({
      provisionedConcurrency: {
        version: '7',
        requested: 5,
        status: 'READY',
        requestedAt: '2026-11-28T12:01:00.000Z',
        removedFrom: '6',
      },
    });
    expect(provisioningLine(t)).toBe('5 on version 7, READY; removed from version 6');
    expect(provisioningLine(aTraffic())).toBeNull();
  });
});

describe('Function: trafficFacts', () => {
  it('lists strategy, traffic, last judgement, provisioned concurrency and who decided', () => {
    const d = aDeployment({
      status: 'ROLLED_BACK',
      traffic: aTraffic({
        phase: 'rolled-back',
        weight: 0,
        judgements: [aJudgement({ outcome: 'fail', action: 'rollback', reason: 'errors 30%' })],
        provisionedConcurrency: {
          version: '7',
          requested: 2,
          status: 'READY',
          requestedAt: '2026-11-28T12:01:00.000Z',
        },
      }),
      abort: { by: 'slack:T1:U0PAY', at: '2026-11-28T12:04:00.000Z' },
    });
    expect(trafficFacts(d, now)).toEqual([
      { label: 'Release', text: 'canary 10% for 5 min, then all' },
      { label: 'Traffic', text: '0% → version 7 · step 1/2 · rolled back' },
      { label: 'Last judgement', text: 'step 1 (10%): fail → rollback — errors 30%' },
      { label: 'Provisioned concurrency', text: '2 on version 7, READY' },
      { label: 'Aborted', text: 'by slack:T1:U0PAY' },
    ]);
    expect(trafficFacts(aDeployment(), now)).toEqual([]);
  });
});

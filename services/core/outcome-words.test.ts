import { describe, expect, it } from 'vitest';
import { aDeployment } from '../../test/fakes/deployments.ts';
import { aJudgement, aTraffic } from '../../test/fakes/traffic.ts';
import type { Deployment, StepRecord } from './deployment.ts';
import { servingLine, servingNowLine, stepVerdict } from './outcome-words.ts';

const v = (version: string) => ({ version, digest: null, imageUri: null });
const at = (status: Deployment['status'], more: Partial<Deployment> = {}) =>
  aDeployment({ status, previous: v('6'), release: v('7'), ...more });
const step = (name: StepRecord['name'], detail?: string): StepRecord => ({
  name,
  startedAt: '2026-11-28T12:00:00.000Z',
  endedAt: '2026-11-28T12:00:02.000Z',
  outcome: 'succeeded',
  attempts: 1,
  ...(detail ? { detail } : {}),
});

describe('Function: servingLine', () => {
  it('names the new version live, and the one it replaced, when the release succeeded', () => {
    expect(servingLine(at('SUCCEEDED'))).toBe('version 7 (was 6)');
  });

  it('says the old version still serves when the release did not make it', () => {
    for (const status of ['ROLLED_BACK', 'REJECTED', 'FAILED'] as const)
      expect(servingLine(at(status)), status).toBe('version 6, unchanged');
  });

  it('splits the traffic while a weighted release is under way', () => {
    const d = at('RUNNING', { traffic: aTraffic({ weight: 0.1 }) });
    expect(servingLine(d)).toBe('version 6 (90%), version 7 (10%)');
  });

  it('claims nothing it cannot know when the rollback failed', () => {
    expect(servingLine(at('ROLLBACK_FAILED'))).toMatch(
      /^unknown: the rollback to version 6 failed/,
    );
  });

  it('says there was none before a first release', () => {
    expect(servingLine(at('SUCCEEDED', { previous: undefined }))).toBe('version 7 (was none)');
  });

  it('says unchanged when a redeploy released the version already live', () => {
    expect(servingLine(at('SUCCEEDED', { previous: v('7') }))).toBe('version 7, unchanged');
  });
});

describe('Function: servingNowLine', () => {
  it('says what serves now first when a later release replaced what the deployment left', () => {
    expect(servingNowLine(at('ROLLED_BACK'), { version: '9', deploymentId: 'd-LATER' })).toBe(
      'version 9 now (released by d-LATER); this deployment: version 6, unchanged',
    );
  });

  it("keeps the record's line when the live record agrees, or says nothing", () => {
    expect(servingNowLine(at('SUCCEEDED'), { version: '7', deploymentId: 'd-X' })).toBe(
      'version 7 (was 6)',
    );
    expect(servingNowLine(at('ROLLED_BACK'), null)).toBe('version 6, unchanged');
    expect(servingNowLine(at('ROLLBACK_FAILED'), { version: '6', deploymentId: 'd-X' })).toMatch(
      /^unknown/,
    );
  });
});

describe('Function: stepVerdict', () => {
  it('reads a SmokeInvoke whose smoke failed as failed, with the reason', () => {
    const d = at('ROLLED_BACK', {
      smoke: {
        passed: false,
        verdict: 'fail',
        reason: 'the new version raised a FunctionError (Unhandled): boom',
        statusCode: 200,
        responseExcerpt: '',
        initDurationMs: null,
        durationMs: null,
        maxMemoryUsedMb: null,
      },
    });
    expect(stepVerdict(d, step('SmokeInvoke', 'failed: boom'))).toEqual({
      outcome: 'failed',
      detail: 'smoke failed: the new version raised a FunctionError (Unhandled): boom',
    });
    expect(stepVerdict(d, step('Prepare', 'locked'))).toEqual({
      outcome: 'succeeded',
      detail: 'locked',
    });
  });

  it('reads a judgement that rolled the release back as a failed JudgeStep', () => {
    const judged = aJudgement({
      outcome: 'fail',
      action: 'rollback',
      reason: '3 errors in 40 invocations',
    });
    const d = at('ROLLED_BACK', { traffic: aTraffic({ judgements: [judged] }) });
    expect(stepVerdict(d, step('JudgeStep'))).toEqual({
      outcome: 'failed',
      detail: 'judged fail: 3 errors in 40 invocations',
    });
  });

  it('keeps a running step running whatever the reports say', () => {
    const d = at('RUNNING', { scan: undefined });
    const running = { ...step('ScanImage'), outcome: 'running' as const };
    expect(stepVerdict(d, running).outcome).toBe('running');
  });
});

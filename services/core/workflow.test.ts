import { describe, expect, it } from 'vitest';
import { candidateTag, caughtLine, causeMessage, FERRY_STOPPED, releaseTag } from './workflow.ts';

describe('Function: causeMessage', () => {
  it('reads the errorMessage of an AWS Lambda Cause (a JSON string)', () => {
    const cause = JSON.stringify({
      errorType: 'ConflictError',
      errorMessage: 'function changed',
      trace: [],
    });
    expect(causeMessage({ Error: 'ConflictError', Cause: cause })).toBe('function changed');
  });

  it('reads a plain-string Cause as it is', () => {
    expect(causeMessage({ Error: 'NotFoundError', Cause: 'image team/api:v9 not found' })).toBe(
      'image team/api:v9 not found',
    );
  });

  it('summarizes a failed CodeBuild build', () => {
    const cause = JSON.stringify({ Id: 'ferry-build:42', BuildStatus: 'FAILED' });
    expect(causeMessage({ Error: 'States.TaskFailed', Cause: cause })).toBe(
      'build ferry-build:42 ended FAILED',
    );
  });

  it('falls back to the error name when there is no cause', () => {
    expect(causeMessage({ Error: 'States.Timeout' })).toBe('States.Timeout');
  });
});

describe('Function: candidateTag / releaseTag', () => {
  it('makes valid tags under 128 characters', () => {
    const id = `d-${'0'.repeat(26)}`;
    for (const tag of [candidateTag(id), releaseTag(id)])
      expect(tag).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/);
  });
});

describe('Function: caughtLine', () => {
  it('names the error before its message', () => {
    expect(caughtLine({ Error: 'ConflictError', Cause: 'function changed' })).toBe(
      'ConflictError: function changed',
    );
  });

  it('gives a FerryStopped Cause as it is: it is the whole reason', () => {
    const Cause = 'Ferry stopped during SmokeInvoke; rolled back at restart';
    expect(caughtLine({ Error: FERRY_STOPPED, Cause })).toBe(Cause);
  });
});

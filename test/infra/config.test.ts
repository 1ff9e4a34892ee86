import { describe, expect, it } from 'vitest';
import { FerryConfigError, parseFerryConfig } from '../../infra/config.ts';
import { cdkJsonContext, FULL_CONTEXT } from './support/app.ts';

const problemsOf = (context: Record<string, unknown>): readonly string[] => {
  try {
    parseFerryConfig({ 'ferry:adminTeam': 'platform', ...context });
  } catch (error) {
    if (error instanceof FerryConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('Function: parseFerryConfig', () => {
  it('accepts the context checked in to cdk.json', () => {
    const config = parseFerryConfig(cdkJsonContext());
    expect(config).toMatchObject({ repositories: [], optIn: { tag: true, namePrefix: null } });
  });

  it('reads every setting of a full configuration', () => {
    expect(parseFerryConfig(FULL_CONTEXT)).toEqual({
      repositories: ['payments-api', 'team/checkout'],
      optIn: { tag: true, namePrefix: 'prod-' },
      principalTeams: { 'arn:aws:sts::123456789012:assumed-role/payments-deployer/*': 'payments' },
      adminTeam: 'platform',
      slack: true,
      slackUsers: { U024BE7LH: 'payments' },
      candidateExpiryDays: 14,
      sourceBuckets: ['ferry-sources'],
      gc: { schedule: true, rollbackDepth: 3, minimumAgeDays: 7, imageRemoval: 'delete' },
    });
  });

  it('applies defaults: tag opt-in, Slack off, 7-day candidate expiry', () => {
    expect(parseFerryConfig({ 'ferry:adminTeam': 'platform' })).toEqual({
      repositories: [],
      optIn: { tag: true, namePrefix: null },
      principalTeams: {},
      adminTeam: 'platform',
      slack: false,
      slackUsers: {},
      candidateExpiryDays: 7,
      sourceBuckets: [],
      gc: { schedule: true, rollbackDepth: 3, minimumAgeDays: 7, imageRemoval: 'delete' },
    });
  });

  it('reads the scheduled gc and names a bad value', () => {
    const config = parseFerryConfig({
      'ferry:adminTeam': 'platform',
      'ferry:gcSchedule': 'false',
      'ferry:gcRollbackDepth': '5',
      'ferry:gcMinimumAgeDays': 2,
      'ferry:gcArchive': true,
    });
    expect(config.gc).toEqual({
      schedule: false,
      rollbackDepth: 5,
      minimumAgeDays: 2,
      imageRemoval: 'archive',
    });
    expect(problemsOf({ 'ferry:gcRollbackDepth': 0 })[0]).toBe(
      'ferry:gcRollbackDepth must be a whole number from 1 to 100; got 0 (number). Fix: "ferry:gcRollbackDepth": 3',
    );
  });

  it('decodes JSON text given with -c key=value', () => {
    const config = parseFerryConfig({
      'ferry:adminTeam': 'platform',
      'ferry:repositories': '["a-repo"]',
      'ferry:slack': 'true',
      'ferry:candidateExpiryDays': '3',
    });
    expect(config).toMatchObject({ repositories: ['a-repo'], slack: true, candidateExpiryDays: 3 });
  });

  it('names a Slack user mapping entry that is not a user id or not a team', () => {
    expect(problemsOf({ 'ferry:slackUsers': { '@alice': 'payments' } })[0]).toContain(
      'ferry:slackUsers key "@alice" is not a Slack user id',
    );
    expect(problemsOf({ 'ferry:slackUsers': { U024BE7LH: 'pay ments' } })[0]).toContain(
      'maps U024BE7LH to "pay ments", which is not a team name',
    );
    expect(problemsOf({ 'ferry:slackUsers': ['U024BE7LH'] })[0]).toContain(
      'ferry:slackUsers must map Slack user ids to teams',
    );
  });

  it('names the key, the value received and the fix for a repository that is not a list', () => {
    const [problem] = problemsOf({ 'ferry:repositories': 'payments-api' });
    expect(problem).toContain('ferry:repositories must be a list');
    expect(problem).toContain('"payments-api"');
    expect(problem).toContain('Fix: "ferry:repositories": ["my-service", "team/api"]');
  });

  it('rejects repository names ECR would reject, and duplicates', () => {
    expect(problemsOf({ 'ferry:repositories': ['Payments_API'] })[0]).toContain(
      'invalid name "Payments_API"',
    );
    expect(problemsOf({ 'ferry:repositories': ['a-repo', 'a-repo'] })[0]).toContain(
      'lists "a-repo" twice',
    );
  });

  it('rejects a configuration no function could opt in under', () => {
    const [problem] = problemsOf({ 'ferry:optInTag': false });
    expect(problem).toContain('no function could opt in');
    expect(problem).toContain('Fix:');
  });

  it('rejects a name prefix that is not a function-name prefix', () => {
    expect(problemsOf({ 'ferry:optInNamePrefix': 'prod:*' })[0]).toContain('got "prod:*"');
  });

  it('rejects flags that are not booleans', () => {
    expect(problemsOf({ 'ferry:slack': 'yes' })[0]).toBe(
      'ferry:slack must be true or false; got "yes". Fix: "ferry:slack": false',
    );
  });

  it('requires an admin team', () => {
    expect(() => parseFerryConfig({})).toThrow(
      /ferry:adminTeam must be a team name .* got undefined/,
    );
  });

  it('rejects principal patterns that are not IAM or STS ARNs, and bad team names', () => {
    const problems = problemsOf({
      'ferry:principalTeams': {
        'payments-deployer': 'payments',
        'arn:aws:iam::123456789012:role/x': 'team with spaces',
      },
    });
    expect(problems[0]).toContain('invalid principal pattern "payments-deployer"');
    expect(problems[1]).toContain('not a team name');
  });

  it('rejects candidate expiry outside 1–3650 whole days', () => {
    expect(problemsOf({ 'ferry:candidateExpiryDays': 0 })[0]).toContain('got 0 (number)');
    expect(problemsOf({ 'ferry:candidateExpiryDays': 1.5 })[0]).toContain('got 1.5 (number)');
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({
      'ferry:slack': 1,
      'ferry:repositories': 5,
      'ferry:sourceBuckets': ['UPPER'],
    });
    expect(problems).toHaveLength(3);
  });
});

import { describe, expect, it } from 'vitest';
import { loadApiConfig } from './config.ts';

const env = {
  FERRY_TABLE_NAME: 'ferry',
  FERRY_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:ferry-deploy',
  FERRY_LOCK_TTL_SECONDS: '4200',
  FERRY_CURSOR_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ferry-cursor',
};

describe('Function: loadApiConfig', () => {
  it('reads the stack-set environment, with defaults for the optional keys', () => {
    expect(loadApiConfig(env)).toEqual({
      ...env,
      FERRY_ADMIN_TEAM: 'platform',
      FERRY_PRINCIPAL_TEAMS: [],
      FERRY_LOCK_TTL_SECONDS: 4200,
      FERRY_SLACK_USERS: {},
      FERRY_WATCHED_REPOSITORIES: [],
      FERRY_OPT_IN: { tag: true, namePrefix: null },
    });
  });

  it('reads the opt-in, refusing anything but its JSON object', () => {
    const optIn = JSON.stringify({ tag: false, namePrefix: 'prod-' });
    expect(loadApiConfig({ ...env, FERRY_OPT_IN: optIn }).FERRY_OPT_IN).toEqual({
      tag: false,
      namePrefix: 'prod-',
    });
    expect(() => loadApiConfig({ ...env, FERRY_OPT_IN: '["prod-"]' })).toThrow(/FERRY_OPT_IN/);
  });

  it('reads the watched repositories, refusing anything but a JSON array of names', () => {
    const watched = JSON.stringify(['team/api', 'orders']);
    expect(
      loadApiConfig({ ...env, FERRY_WATCHED_REPOSITORIES: watched }).FERRY_WATCHED_REPOSITORIES,
    ).toEqual(['team/api', 'orders']);
    expect(() => loadApiConfig({ ...env, FERRY_WATCHED_REPOSITORIES: '{"a":1}' })).toThrow(
      /FERRY_WATCHED_REPOSITORIES \(must be a JSON array of repository names/,
    );
  });

  it('reads the Slack secret ARN and user mapping, refusing a mapping key that is not a user id', () => {
    const config = loadApiConfig({
      ...env,
      FERRY_SLACK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:slack',
      FERRY_SLACK_USERS: JSON.stringify({ U024BE7LH: 'payments' }),
    });
    expect(config.FERRY_SLACK_USERS).toEqual({ U024BE7LH: 'payments' });
    expect(() =>
      loadApiConfig({ ...env, FERRY_SLACK_USERS: JSON.stringify({ alice: 'payments' }) }),
    ).toThrow(/FERRY_SLACK_USERS \(must be a JSON object mapping Slack user ids/);
  });

  it('turns the principal-teams JSON into ordered patterns', () => {
    const config = loadApiConfig({
      ...env,
      FERRY_PRINCIPAL_TEAMS: JSON.stringify({
        'arn:aws:sts::123456789012:assumed-role/payments-ci/*': 'payments',
        'arn:aws:iam::123456789012:user/*': 'platform',
      }),
      FERRY_PUBLIC_BASE_URL: 'https://api.example.com',
    });
    expect(config.FERRY_PRINCIPAL_TEAMS).toEqual([
      { pattern: 'arn:aws:sts::123456789012:assumed-role/payments-ci/*', team: 'payments' },
      { pattern: 'arn:aws:iam::123456789012:user/*', team: 'platform' },
    ]);
    expect(config.FERRY_PUBLIC_BASE_URL).toBe('https://api.example.com');
  });

  it('fails naming every missing or invalid key', () => {
    expect(() =>
      loadApiConfig({
        FERRY_PRINCIPAL_TEAMS: '["not", "an object"]',
        FERRY_CURSOR_SECRET_ARN: 'not-an-arn',
      }),
    ).toThrow(
      /FERRY_TABLE_NAME.*FERRY_STATE_MACHINE_ARN.*FERRY_PRINCIPAL_TEAMS \(must be a JSON object.*FERRY_CURSOR_SECRET/,
    );
  });

  it('has no lock lifetime of its own: the stack derives it from the workflow timeout', () => {
    const { FERRY_LOCK_TTL_SECONDS: _, ...without } = env;
    expect(() => loadApiConfig(without)).toThrow(/FERRY_LOCK_TTL_SECONDS/);
  });

  it('is pure: it reads only the object it is given', () => {
    expect(() => loadApiConfig({})).toThrow(/FERRY_TABLE_NAME/);
  });
});

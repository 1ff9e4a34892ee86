import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { slackSecretReader } from './slack-secret.ts';

const secrets = mockClient(SecretsManagerClient);
beforeEach(() => secrets.reset());

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ferry-slack-AbCdEf';
const value = {
  signingSecret: 'sign-me',
  webhooks: { 'payments-deploys': 'https://hooks.slack.com/services/T0/B0/xyz' },
};

describe('Function: slackSecretReader', () => {
  it('reads the secret once per TTL and again after it, picking up a rotated value', async () => {
    let t = 0;
    secrets
      .on(GetSecretValueCommand, { SecretId: ARN })
      .resolvesOnce({ SecretString: JSON.stringify(value) })
      .resolvesOnce({ SecretString: JSON.stringify({ ...value, signingSecret: 'rotated' }) });
    const read = slackSecretReader(new SecretsManagerClient({}), ARN, 1000, () => t);
    await expect(read()).resolves.toEqual(value);
    t = 999;
    await expect(read()).resolves.toEqual(value);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    t = 1000;
    await expect(read()).resolves.toMatchObject({ signingSecret: 'rotated' });
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('reads a secret the operator has not set yet as nothing configured', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejects(new ResourceNotFoundException({ message: 'no value', $metadata: {} }));
    await expect(slackSecretReader(new SecretsManagerClient({}), ARN)()).resolves.toEqual({
      webhooks: {},
    });
  });

  it.each([
    ['not JSON', 'hooks.slack.com/services/x', /not JSON/],
    [
      'a plain-http webhook',
      JSON.stringify({ webhooks: { a: 'http://hooks.slack.com/x' } }),
      /webhooks\.a/,
    ],
    ['a webhook that is not a URL', JSON.stringify({ webhooks: { a: 'nope' } }), /webhooks\.a/],
  ])(
    'refuses a secret that is %s with InvalidRequestError, never echoing it',
    async (_, text, message) => {
      secrets.on(GetSecretValueCommand).resolves({ SecretString: text });
      const error = await slackSecretReader(new SecretsManagerClient({}), ARN)().catch((e) => e);
      expect(error.name).toBe('InvalidRequestError');
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('hooks.slack.com/services/x');
    },
  );

  it('maps an access error to a named Ferry error', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));
    const error = await slackSecretReader(new SecretsManagerClient({}), ARN)().catch((e) => e);
    expect(error.name).toBe('AccessDeniedError');
  });
});

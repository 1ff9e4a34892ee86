/**
 * What the reader's test on moto (test/contracts/slack-secret.test.ts) cannot show: moto checks
 * no IAM policy, so it never denies the read.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { slackSecretReader } from './slack-secret.ts';

const secrets = mockClient(SecretsManagerClient);
beforeEach(() => secrets.reset());

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ferry-slack-AbCdEf';

describe('Function: slackSecretReader', () => {
  it('maps an access error to a named Ferry error', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));
    const error = await slackSecretReader(new SecretsManagerClient({}), ARN)().catch((e) => e);
    expect(error.name).toBe('AccessDeniedError');
  });
});

/**
 * The Slack secret reader on moto's Secrets Manager: the secret the stack creates empty, the
 * value an operator stores with put-secret-value (as docs/aws.md shows), the cache, and a
 * rotated value picked up once the cache has expired.
 */
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackSecretReader } from '../../services/adapters/aws/slack-secret.ts';
import { type MotoServer, motoClientConfig, startMotoServer } from '../support/moto.ts';

const TTL_MS = 1_000;
const value = {
  signingSecret: 'sign-me',
  webhooks: { 'payments-deploys': 'https://hooks.slack.com/services/T0/B0/xyz' },
};

describe('slackSecretReader on moto', () => {
  let moto: MotoServer;
  let client: SecretsManagerClient;
  let made = 0;
  beforeAll(async () => {
    moto = await startMotoServer();
    client = new SecretsManagerClient(motoClientConfig(moto.endpoint));
  });
  afterAll(async () => {
    client?.destroy();
    await moto?.close();
  });

  /** A secret created empty, as the stack creates it; returns its ARN (what the stack passes). */
  async function emptySecret(): Promise<string> {
    const { ARN } = await client.send(new CreateSecretCommand({ Name: `ferry-slack-${++made}` }));
    return ARN ?? '';
  }
  const store = (arn: string, text: string) =>
    client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: text }));
  /** A reader on a clock the test moves. */
  function reader(arn: string) {
    const clock = { t: 0 };
    return { read: slackSecretReader(client, arn, TTL_MS, () => clock.t), clock };
  }

  // Secrets Manager answers GetSecretValue on a secret with no value yet with
  // ResourceNotFoundException (no AWSCURRENT version), and so does moto.
  it('reads the secret the stack created empty as nothing configured', async () => {
    const { read } = reader(await emptySecret());
    await expect(read()).resolves.toEqual({ webhooks: {} });
  });

  it('reads the value the operator stored', async () => {
    const arn = await emptySecret();
    await store(arn, JSON.stringify(value));
    await expect(reader(arn).read()).resolves.toEqual(value);
  });

  it('keeps the value it read for the cache time, then picks up a rotated one', async () => {
    const arn = await emptySecret();
    await store(arn, JSON.stringify(value));
    const { read, clock } = reader(arn);
    await expect(read()).resolves.toEqual(value);
    await store(arn, JSON.stringify({ ...value, signingSecret: 'rotated' }));
    clock.t = TTL_MS - 1;
    await expect(read()).resolves.toEqual(value);
    clock.t = TTL_MS;
    await expect(read()).resolves.toEqual({ ...value, signingSecret: 'rotated' });
  });

  it('an empty secret read and cached picks up the first stored value after the cache time', async () => {
    const arn = await emptySecret();
    const { read, clock } = reader(arn);
    await expect(read()).resolves.toEqual({ webhooks: {} });
    await store(arn, JSON.stringify(value));
    clock.t = TTL_MS;
    await expect(read()).resolves.toEqual(value);
  });

  it.each([
    ['not JSON', 'hooks.slack.com/services/x', /not JSON/],
    [
      'a plain-http webhook',
      JSON.stringify({ webhooks: { a: 'http://hooks.slack.com/services/x' } }),
      /webhooks\.a/,
    ],
    ['a webhook that is not a URL', JSON.stringify({ webhooks: { a: 'nope' } }), /webhooks\.a/],
  ])(
    'refuses a secret that is %s with InvalidRequestError, never echoing it',
    async (_, text, message) => {
      const arn = await emptySecret();
      await store(arn, text);
      const error = await reader(arn)
        .read()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'InvalidRequestError', message });
      expect((error as Error).message).not.toContain('hooks.slack.com/services/x');
    },
  );

  it('a bad value is not cached: once fixed, the next read has it', async () => {
    const arn = await emptySecret();
    await store(arn, 'not json');
    const { read } = reader(arn);
    await expect(read()).rejects.toMatchObject({ name: 'InvalidRequestError' });
    await store(arn, JSON.stringify(value));
    await expect(read()).resolves.toEqual(value);
  });
});

/**
 * The API's cursor-signing key, read from Secrets Manager (moto's) at run time: the stack's
 * generated value signs cursors, a new value takes over without a restart (older cursors then
 * fail as invalid), and a missing or short value fails naming the secret.
 */
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { aDeployment } from '../../test/fakes/deployments.ts';
import {
  createStoreTable,
  type RunningDynalite,
  startDynalite,
} from '../../test/support/dynalite.ts';
import { type MotoServer, motoClientConfig, startMotoServer } from '../../test/support/moto.ts';
import { stubSdkEnv } from '../../test/support/sdk-env.ts';
import { DynamoDeploymentStore } from '../adapters/aws/dynamo-store.ts';
import { awsCursorKey } from './aws-cursor-key.ts';
import type { AwsRuntimeConfig } from './aws-runtime.ts';

let moto: MotoServer;
let dynalite: RunningDynalite;
let secrets: SecretsManagerClient;
beforeAll(async () => {
  moto = await startMotoServer();
  dynalite = await startDynalite();
  secrets = new SecretsManagerClient(motoClientConfig(moto.endpoint));
  stubSdkEnv(dynalite.endpoint, { AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint });
}, 60_000);
afterAll(async () => {
  vi.unstubAllEnvs();
  secrets?.destroy();
  await dynalite?.close();
  await moto?.close();
});

let made = 0;
async function secret(value?: string): Promise<string> {
  const out = await secrets.send(
    new CreateSecretCommand({
      Name: `ferry-cursor-${++made}`,
      ...(value ? { SecretString: value } : {}),
    }),
  );
  return out.ARN ?? '';
}
const config = (arn: string) =>
  ({
    FERRY_TABLE_NAME: 't',
    FERRY_LOCK_TTL_SECONDS: 600,
    FERRY_CURSOR_SECRET_ARN: arn,
  }) as AwsRuntimeConfig;

describe('Function: awsCursorKey', () => {
  it('reads the secret, and a new value signs cursors after the cache expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const arn = await secret('k'.repeat(64));
      const key = awsCursorKey(config(arn));
      const table = `cursor-${made}`;
      await createStoreTable(dynalite.client, table);
      const store = new DynamoDeploymentStore(dynalite.client, {
        tableName: table,
        cursorSecret: key,
      });
      for (let n = 0; n < 3; n++) {
        const createdAt = new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString();
        await store.create(aDeployment({ id: `d-cursor-${n}`, createdAt }));
      }
      const first = await store.listByFunction(aDeployment().functionName, { limit: 1 });
      expect(first.cursor).toBeDefined();
      const cursor = first.cursor as string;
      await expect(
        store.listByFunction(aDeployment().functionName, { limit: 1, cursor }),
      ).resolves.toMatchObject({ items: [expect.anything()] });

      await secrets.send(
        new PutSecretValueCommand({ SecretId: arn, SecretString: 'n'.repeat(64) }),
      );
      // Still the cached key: the old cursor holds.
      await expect(
        store.listByFunction(aDeployment().functionName, { limit: 1, cursor }),
      ).resolves.toBeDefined();
      vi.setSystemTime(Date.now() + 10 * 60_000);
      await expect(
        store.listByFunction(aDeployment().functionName, { limit: 1, cursor }),
      ).rejects.toMatchObject({ name: 'InvalidRequestError', kind: 'invalid-cursor' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('fails naming the secret when it has no value, or one too short to be the generated key', async () => {
    const empty = await secret();
    await expect(awsCursorKey(config(empty))()).rejects.toThrow(
      new RegExp(`cursor secret ${empty}`),
    );
    const short = await secret('short');
    await expect(awsCursorKey(config(short))()).rejects.toThrow(/at least 16 characters/);
  });
});

/**
 * Notification claims live apart from the API's idempotency keys: whatever a team is called and
 * whatever Idempotency-Key it sends, it cannot pre-claim (and so suppress) another deployment's
 * notification. The real API app writes the key on dynalite; the workers' notifiers, wired by
 * awsWorkerDeps from the environment alone, finalize the other team's deployment on the same
 * table. Secrets Manager is an adapter mock; Slack's endpoints are a recording fetch.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { issueToken } from '../../services/auth/token-authenticator.ts';
import { parseFunctionSettings } from '../../services/core/settings.ts';
import { awsWorkerDeps } from '../../services/workers/aws-deps.ts';
import { finalize } from '../../services/workers/finalize/core.ts';
import { stubSdkEnv } from '../support/sdk-env.ts';
import { type ApiWorld, createApiWorld, IMAGE } from './api-world.ts';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ferry-slack-AbCdEf';
const WEBHOOK = 'https://hooks.slack.com/services/T0/B0/channel-secret';
const REPLY = 'https://hooks.slack.com/commands/T0/1/reply-secret';

const secrets = mockClient(SecretsManagerClient);
const posted: string[] = [];
let w: ApiWorld;

beforeAll(async () => {
  w = await createApiWorld();
  secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({
    SecretString: JSON.stringify({ signingSecret: 's', webhooks: { 'payments-deploys': WEBHOOK } }),
  });
  vi.stubGlobal('fetch', async (url: string | URL) => {
    posted.push(String(url));
    return new Response('ok', { status: 200 });
  });
  stubSdkEnv(w.endpoint);
  // The workers' JSON log lines go to stdout; keep the test output quiet.
  vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterAll(async () => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await w.close();
});

describe('Notification claims vs Idempotency-Key', () => {
  it('a team named like a claim channel cannot suppress another deployment’s notifications', async () => {
    // Prepare: payments deploys `orders` (from Slack: a reply URL is stored); teams called
    // `notify` and `reply` each deploy their own function with an Idempotency-Key spelled like
    // the claim of the payments deployment's outcome.
    await w.store.putSettings(
      'orders',
      parseFunctionSettings({ team: 'payments', notifyChannel: 'payments-deploys' }),
    );
    const victim = await w.call('payments', 'POST', '/v1/deployments', {
      function: 'orders',
      image: IMAGE,
    });
    expect(victim.status).toBe(202);
    const id = String(victim.body.id);
    await w.store.putReplyUrl(id, REPLY, Math.floor(Date.now() / 1000) + 600);
    for (const team of ['notify', 'reply']) {
      await w.store.putSettings(`${team}-fn`, parseFunctionSettings({ team }));
      const token = await issueToken(w.tokens, team);
      const res = await w.app.request('/v1/deployments', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': `${id}:SUCCEEDED`,
        },
        body: JSON.stringify({ function: `${team}-fn`, image: IMAGE }),
      });
      expect(res.status, team).toBe(202);
    }

    // Act: the payments deployment ends SUCCEEDED in the workers, as the stack wires them.
    const deps = awsWorkerDeps({
      FERRY_TABLE_NAME: w.tableName,
      FERRY_BUILD_REPOSITORY_URI: '123456789012.dkr.ecr.us-east-1.amazonaws.com/ferry-builds',
      FERRY_ECR_REGISTRY_ID: '123456789012',
      FERRY_LOCK_TTL_SECONDS: '4200',
      FERRY_SLACK_SECRET_ARN: SECRET_ARN,
      AWS_LAMBDA_FUNCTION_NAME: 'ferry-Finalize',
    });
    await finalize({ deploymentId: id, final: { outcome: 'SUCCEEDED' } }, deps);

    // Assess: the channel and the requester both hear of it, once each.
    expect((await w.store.get(id))?.status).toBe('SUCCEEDED');
    expect(posted.sort()).toEqual([REPLY, WEBHOOK].sort());
  });
});

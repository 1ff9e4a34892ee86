/**
 * The workers' notifier as the stack configures it: one notification reaches the function's Slack
 * channel (webhook from the Slack secret), the slash command's reply URL, and EventBridge —
 * composed by awsWorkerDeps from the environment alone. DynamoDB is dynalite (the SDK pointed at
 * it by its service endpoint variable); Secrets Manager and EventBridge are adapter mocks; Slack's
 * endpoints are a recording fetch.
 */
import { randomBytes } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { captureOutput } from '../../test/support/capture-output.ts';
import {
  createStoreTable,
  type RunningDynalite,
  startDynalite,
} from '../../test/support/dynalite.ts';
import { stubSdkEnv } from '../../test/support/sdk-env.ts';
import { DynamoDeploymentStore } from '../adapters/aws/dynamo-store.ts';
import type { Deployment } from '../core/deployment.ts';
import { parseFunctionSettings } from '../core/settings.ts';
import { awsWorkerDeps } from './aws-deps.ts';

const TABLE = 'ferry-worker-deps';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ferry-slack-AbCdEf';
const WEBHOOK = 'https://hooks.slack.com/services/T0/B0/channel-secret';
const REPLY = 'https://hooks.slack.com/commands/T0/1/reply-secret';

const secrets = mockClient(SecretsManagerClient);
const events = mockClient(EventBridgeClient);
let dynalite: RunningDynalite;
const posted: { url: string; body: unknown }[] = [];

beforeAll(async () => {
  dynalite = await startDynalite();
  await createStoreTable(dynalite.client, TABLE);
  secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({
    SecretString: JSON.stringify({ signingSecret: 's', webhooks: { 'payments-deploys': WEBHOOK } }),
  });
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  vi.stubGlobal('fetch', async (url: string | URL, init?: RequestInit) => {
    posted.push({ url: String(url), body: JSON.parse(String(init?.body)) });
    return new Response('ok', { status: 200 });
  });
  stubSdkEnv(dynalite.endpoint);
});
afterAll(async () => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  await dynalite.close();
});

describe('awsWorkerDeps: notifications', () => {
  it('sends one status to the channel webhook, the reply URL and EventBridge, from env alone', async () => {
    const store = new DynamoDeploymentStore(dynalite.client, {
      tableName: TABLE,
      cursorSecret: randomBytes(16).toString('hex'),
    });
    await store.putSettings(
      'orders',
      parseFunctionSettings({ team: 'payments', notifyChannel: 'payments-deploys' }),
    );
    const now = new Date().toISOString();
    const deployment: Deployment = {
      id: 'd-01JDQ4Z9X8M2N3P4Q5R6S7T8V9',
      functionName: 'orders',
      status: 'SUCCEEDED',
      createdAt: now,
      updatedAt: now,
      endedAt: now,
      team: 'payments',
      trigger: { kind: 'slack', actor: 'slack:T0:U1' },
      request: { image: 'team/orders:v2' },
      steps: [],
    };
    await store.create(deployment);
    await store.putReplyUrl(deployment.id, REPLY, Math.floor(Date.now() / 1000) + 600);

    const deps = awsWorkerDeps({
      FERRY_TABLE_NAME: TABLE,
      FERRY_LOCK_TTL_SECONDS: '4200',
      FERRY_BUILD_REPOSITORY_URI: '123456789012.dkr.ecr.us-east-1.amazonaws.com/ferry-builds',
      FERRY_ECR_REGISTRY_ID: '123456789012',
      FERRY_SLACK_SECRET_ARN: SECRET_ARN,
      FERRY_EVENT_BUS_NAME: 'default',
      FERRY_PUBLIC_BASE_URL: 'https://ferry.example.com/',
      AWS_LAMBDA_FUNCTION_NAME: 'ferry-Finalize',
    });
    // Powertools writes to stdout and stderr directly, not through console.log.
    const output = captureOutput();
    await deps.notifier.notify({ deployment, status: 'SUCCEEDED', critical: false });
    // Sent once per (deployment, status): a second delivery of the same status is a no-op.
    await deps.notifier.notify({ deployment, status: 'SUCCEEDED', critical: false });

    expect(posted.map((p) => p.url).sort()).toEqual([REPLY, WEBHOOK].sort());
    for (const p of posted) {
      expect(JSON.stringify(p.body)).toContain(
        'https://ferry.example.com/deployments/d-01JDQ4Z9X8M2N3P4Q5R6S7T8V9',
      );
    }
    // EventBridge too: the second delivery finds the `event` claim taken.
    const put = events.commandCalls(PutEventsCommand);
    expect(put).toHaveLength(1);
    expect(put[0]?.args[0].input.Entries?.[0]).toMatchObject({
      EventBusName: 'default',
      DetailType: 'Ferry Deployment Status Change',
      Source: 'ferry',
    });
    // The webhook and reply URLs are secrets: never in a log line.
    output.restore();
    const lines = output.lines().join('\n');
    expect(lines).toContain('slack message sent');
    expect(lines).not.toContain('channel-secret');
    expect(lines).not.toContain('reply-secret');
  });
});

/**
 * EventBridgeNotifier on moto's EventBridge: the status event really lands where a rule sends
 * it (an SQS queue, read back), with the source, detail-type and detail docs/slack.md documents,
 * and a rule written as docs/slack.md suggests matches it.
 */
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EventBridgeNotifier,
  STATUS_CHANGE_DETAIL_TYPE,
} from '../../services/adapters/aws/eventbridge-notifier.ts';
import type { Deployment } from '../../services/core/deployment.ts';
import { type MotoServer, motoClientConfig, startMotoServer } from '../support/moto.ts';
import { createMotoQueue, type MotoQueue } from '../support/moto-sqs.ts';

const deployment: Deployment = {
  id: 'd-01M8HC7YVQBKF5577ZYS09W285',
  functionName: 'orders',
  status: 'ROLLBACK_FAILED',
  createdAt: '2026-11-28T12:00:00.000Z',
  updatedAt: '2026-11-28T12:00:09.000Z',
  trigger: { kind: 'slack', actor: 'U024BE7LH' },
  request: { image: 'team/orders:v2' },
  reason: 'smoke invoke failed',
  steps: [],
  previous: { version: '41', digest: `sha256:${'a'.repeat(64)}`, imageUri: 'x' },
  release: { version: '42', digest: `sha256:${'b'.repeat(64)}`, imageUri: 'y' },
};

/** An EventBridge event as a rule's SQS target receives it (the whole envelope). */
interface DeliveredEvent {
  source: string;
  'detail-type': string;
  account: string;
  region: string;
  detail: Record<string, unknown>;
}

describe('EventBridgeNotifier on moto', () => {
  let moto: MotoServer;
  let client: EventBridgeClient;
  let critical: MotoQueue;
  let everything: MotoQueue;
  let custom: MotoQueue;

  /** Sends every event matching `pattern` on `bus` to `queue`. */
  async function route(bus: string, rule: string, pattern: object, queue: MotoQueue) {
    await client.send(
      new PutRuleCommand({ Name: rule, EventBusName: bus, EventPattern: JSON.stringify(pattern) }),
    );
    await client.send(
      new PutTargetsCommand({
        Rule: rule,
        EventBusName: bus,
        Targets: [{ Id: 'queue', Arn: queue.arn }],
      }),
    );
  }

  beforeAll(async () => {
    moto = await startMotoServer();
    client = new EventBridgeClient(motoClientConfig(moto.endpoint));
    critical = await createMotoQueue(moto.endpoint, 'ferry-critical');
    everything = await createMotoQueue(moto.endpoint, 'ferry-everything');
    custom = await createMotoQueue(moto.endpoint, 'ferry-custom-bus');
    // docs/slack.md's example rule, on the default bus the notifier uses by default.
    await route(
      'default',
      'ferry-rollback-failed',
      {
        source: ['ferry'],
        'detail-type': ['Ferry Deployment Status Change'],
        detail: { status: ['ROLLBACK_FAILED'] },
      },
      critical,
    );
    await route('default', 'ferry-all', { source: ['ferry'] }, everything);
    await client.send(new CreateEventBusCommand({ Name: 'ferry-bus' }));
    await route('ferry-bus', 'ferry-bus-all', { source: ['ferry'] }, custom);
  });
  afterAll(async () => {
    client?.destroy();
    await moto?.close();
  });

  const received = async (queue: MotoQueue) =>
    (await queue.receive()).map((body) => JSON.parse(body) as DeliveredEvent);

  it('delivers a terminal status to the rules that match it, with the documented envelope and detail', async () => {
    await new EventBridgeNotifier(client).notify({
      deployment,
      status: 'ROLLBACK_FAILED',
      critical: true,
    });
    const [event, ...more] = await received(critical);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      source: 'ferry',
      'detail-type': STATUS_CHANGE_DETAIL_TYPE,
      region: 'us-east-1',
    });
    expect(STATUS_CHANGE_DETAIL_TYPE).toBe('Ferry Deployment Status Change');
    expect(event?.detail).toEqual({
      deploymentId: deployment.id,
      functionName: 'orders',
      status: 'ROLLBACK_FAILED',
      critical: true,
      reason: 'smoke invoke failed',
      trigger: 'slack',
      previous: deployment.previous,
      release: deployment.release,
      compressedBytes: null,
      initDurationMs: null,
      gates: [],
      traffic: null,
    });
    await expect(received(everything)).resolves.toHaveLength(1);
    await expect(received(custom)).resolves.toEqual([]);
  });

  it('a status the rule does not name reaches only the rules that take every Ferry event, gates and all', async () => {
    const gate = {
      gate: 'init-growth',
      outcome: 'passed',
      unit: 'ms',
      value: 210,
      live: 200,
      ratio: 1.05,
      delta: 10,
      maxRatio: 1.5,
      minDelta: 50,
      summary: 'Init Duration 210.0 ms vs 200.0 ms live',
    } as const;
    const smoke = {
      passed: true,
      statusCode: 200,
      responseExcerpt: '{}',
      initDurationMs: 210,
      durationMs: 3,
      maxMemoryUsedMb: 40,
      gates: [gate],
    };
    await new EventBridgeNotifier(client).notify({
      deployment: { ...deployment, status: 'SUCCEEDED', smoke },
      status: 'SUCCEEDED',
      critical: false,
    });
    await expect(received(critical)).resolves.toEqual([]);
    const [event] = await received(everything);
    expect(event?.detail).toMatchObject({
      status: 'SUCCEEDED',
      critical: false,
      initDurationMs: 210,
      gates: [gate],
    });
  });

  it('puts nothing on the bus for a status that is not terminal', async () => {
    await new EventBridgeNotifier(client).notify({
      deployment: { ...deployment, status: 'RUNNING' },
      status: 'RUNNING',
      critical: false,
    });
    await expect(received(everything)).resolves.toEqual([]);
  });

  it('puts events on the bus it was given', async () => {
    await new EventBridgeNotifier(client, 'ferry-bus').notify({
      deployment: { ...deployment, status: 'FAILED' },
      status: 'FAILED',
      critical: false,
    });
    const [event] = await received(custom);
    expect(event).toMatchObject({ source: 'ferry', detail: { status: 'FAILED' } });
    await expect(received(everything)).resolves.toEqual([]);
  });

  // Not checked: a bus that does not exist. moto refuses the call (ResourceNotFoundException),
  // while EventBridge is reported to accept the entry (FailedEntryCount 0) and drop it; the stack
  // uses the default bus, which always exists, and nothing here relies on either answer.
});

import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Deployment } from '../../core/deployment.ts';
import { allNotifiers } from '../all-notifiers.ts';
import { EventBridgeNotifier, STATUS_CHANGE_DETAIL_TYPE } from './eventbridge-notifier.ts';

const events = mockClient(EventBridgeClient);
beforeEach(() => events.reset());

const deployment: Deployment = {
  id: 'd-01M8HC7YVQBKF5577ZYS09W285',
  functionName: 'orders',
  status: 'SUCCEEDED',
  createdAt: '2026-11-28T12:00:00.000Z',
  updatedAt: '2026-11-28T12:00:09.000Z',
  trigger: { kind: 'ecr', eventId: 'evt-1' },
  request: { image: 'team/orders:v2' },
  steps: [],
  release: { version: '4', digest: `sha256:${'b'.repeat(64)}`, imageUri: 'x' },
};

describe('Class: EventBridgeNotifier', () => {
  it('puts a Ferry Deployment Status Change event on every terminal status', async () => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    await new EventBridgeNotifier(new EventBridgeClient({}), 'ferry-bus').notify({
      deployment,
      status: 'SUCCEEDED',
      critical: false,
    });
    const entry = events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(entry).toMatchObject({
      Source: 'ferry',
      DetailType: STATUS_CHANGE_DETAIL_TYPE,
      EventBusName: 'ferry-bus',
    });
    expect(JSON.parse(entry?.Detail ?? '{}')).toMatchObject({
      deploymentId: deployment.id,
      status: 'SUCCEEDED',
      trigger: 'ecr',
      release: { version: '4' },
    });
  });

  it('carries the gates with their figures side by side for a rejected release', async () => {
    const gate = {
      gate: 'init-growth',
      outcome: 'failed',
      unit: 'ms',
      value: 900,
      live: 200,
      ratio: 4.5,
      delta: 700,
      maxRatio: 1.5,
      minDelta: 50,
      summary: 'Init Duration 900.0 ms vs 200.0 ms live',
    } as const;
    const rejected = {
      ...deployment,
      status: 'REJECTED' as const,
      smoke: {
        passed: false,
        statusCode: 200,
        responseExcerpt: '{}',
        initDurationMs: 900,
        durationMs: 3,
        maxMemoryUsedMb: 40,
        gates: [gate],
      },
    };
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    await new EventBridgeNotifier(new EventBridgeClient({})).notify({
      deployment: rejected,
      status: 'REJECTED',
      critical: false,
    });
    const entry = events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0];
    expect(JSON.parse(entry?.Detail ?? '{}')).toMatchObject({
      status: 'REJECTED',
      initDurationMs: 900,
      gates: [{ gate: 'init-growth', outcome: 'failed', value: 900, live: 200, ratio: 4.5 }],
    });
  });

  it('emits nothing for non-terminal statuses', async () => {
    await new EventBridgeNotifier(new EventBridgeClient({})).notify({
      deployment,
      status: 'RUNNING',
      critical: false,
    });
    expect(events.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('fails with a named error when the entry is refused, without stopping other notifiers', async () => {
    events.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'nope' }],
    });
    const sent: string[] = [];
    const both = allNotifiers(new EventBridgeNotifier(new EventBridgeClient({})), {
      notify: async (n) => void sent.push(n.status),
    });
    await expect(both.notify({ deployment, status: 'FAILED', critical: false })).rejects.toThrow(
      /events:PutEvents/,
    );
    expect(sent).toEqual(['FAILED']);
  });
});

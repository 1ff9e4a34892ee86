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

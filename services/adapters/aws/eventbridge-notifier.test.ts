/**
 * What EventBridgeNotifier's test on moto (test/contracts/eventbridge-notifier.test.ts) cannot
 * show: an entry EventBridge refuses.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Deployment } from '../../core/deployment.ts';
import { allNotifiers } from '../all-notifiers.ts';
import { EventBridgeNotifier } from './eventbridge-notifier.ts';

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
  // moto never refuses an entry; delivery itself is proven on moto (test/contracts).
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

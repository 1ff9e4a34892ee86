import { describe, expect, it } from 'vitest';
import { aDeployment } from '../../test/fakes/deployments.ts';
import { RecordingNotifier } from '../../test/fakes/recording-notifier.ts';
import { AccessDeniedError, TransientError } from '../core/errors.ts';
import { allNotifiers } from './all-notifiers.ts';

const critical = {
  deployment: aDeployment({ status: 'ROLLBACK_FAILED' }),
  status: 'ROLLBACK_FAILED',
  critical: true,
} as const;

describe('Function: allNotifiers', () => {
  it('tries every notifier and throws the retryable failure ahead of another', async () => {
    const sent = new RecordingNotifier();
    const denied = { notify: async () => Promise.reject(new AccessDeniedError('denied')) };
    const throttled = { notify: async () => Promise.reject(new TransientError('throttled')) };

    await expect(allNotifiers(denied, sent, throttled).notify(critical)).rejects.toMatchObject({
      name: 'TransientError',
    });
    await expect(allNotifiers(denied, sent).notify(critical)).rejects.toMatchObject({
      name: 'AccessDeniedError',
    });
    expect(sent.sent).toHaveLength(2);
  });
});

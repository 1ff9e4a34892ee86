import { describe, expect, it, vi } from 'vitest';
import { aDeployment } from '../../test/fakes/deployments.ts';
import { ManualClock } from '../../test/fakes/manual-clock.ts';
import { MemoryMessageClaims } from '../../test/fakes/memory-claims.ts';
import { RecordingNotifier } from '../../test/fakes/recording-notifier.ts';
import { AccessDeniedError, TransientError } from '../core/errors.ts';
import { silentLogger } from '../core/logger.ts';
import type { MessageClaim } from '../core/ports.ts';
import { notifyOnce, sendOnce } from './notify-once.ts';

const deployment = aDeployment({ status: 'ROLLBACK_FAILED' });
const critical = { deployment, status: 'ROLLBACK_FAILED', critical: true } as const;
const CLAIM: MessageClaim = { channel: 'event', deploymentId: deployment.id, status: 'FAILED' };

function setup() {
  const claims = new MemoryMessageClaims(new ManualClock());
  const logger = { ...silentLogger };
  return { claims, logger };
}

describe('Function: notifyOnce', () => {
  it('sends each (deployment, status) once on its channel', async () => {
    const { claims, logger } = setup();
    const inner = new RecordingNotifier();
    const once = notifyOnce('event', inner, { claims, logger });

    await Promise.all([once.notify(critical), once.notify(critical)]);
    await once.notify({ ...critical, status: 'FAILED', critical: false });

    expect(inner.sent.map((n) => n.status)).toEqual(['ROLLBACK_FAILED', 'FAILED']);
  });

  it('gives the claim back when the send fails, so the retry sends it', async () => {
    const { claims, logger } = setup();
    const inner = new RecordingNotifier();
    vi.spyOn(inner, 'notify').mockRejectedValueOnce(
      new TransientError('events:PutEvents throttled'),
    );
    const once = notifyOnce('event', inner, { claims, logger });

    await expect(once.notify(critical)).rejects.toMatchObject({ name: 'TransientError' });
    await once.notify(critical);
    await once.notify(critical);

    expect(inner.sent.map((n) => n.status)).toEqual(['ROLLBACK_FAILED']);
  });
});

describe('Function: sendOnce', () => {
  it('gives the claim back when the send reports it was not delivered, without throwing', async () => {
    const { claims, logger } = setup();
    await sendOnce(claims, CLAIM, async () => false, logger);
    expect(await claims.claim(CLAIM)).toBe(true);
  });

  it('throws the send’s error, not the release’s, and logs the claim left behind', async () => {
    const { claims, logger } = setup();
    vi.spyOn(claims, 'release').mockRejectedValue(new TransientError('dynamodb throttled'));
    const error = vi.spyOn(logger, 'error');
    const send = async (): Promise<boolean> => {
      throw new AccessDeniedError('denied');
    };

    await expect(sendOnce(claims, CLAIM, send, logger)).rejects.toMatchObject({
      name: 'AccessDeniedError',
    });
    expect(error).toHaveBeenCalledWith(
      'message claim not released',
      expect.objectContaining({ channel: 'event', name: 'TransientError' }),
    );
  });
});

import { describeError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { ClaimChannel, MessageClaim, MessageClaims, Notifier } from '../core/ports.ts';

/**
 * Sends one message at most once: claims it, runs `send`, and gives the claim back when `send`
 * did not deliver (returned false or threw, the error rethrown), so a retry can still send it.
 *
 * Claim first, release on failure — rather than claim after a success — because the claim is
 * what keeps two attempts running at once (a retried step racing a redelivered event) from both
 * sending; claiming only after a send would let both send. What a release cannot cover is a
 * process killed between claim and release (a Lambda timeout mid-send), so senders bound each
 * request well inside their Task's timeout (post-message.ts): a hung endpoint is a failed send.
 */
export async function sendOnce(
  claims: MessageClaims,
  claim: MessageClaim,
  send: () => Promise<boolean>,
  logger: Logger,
): Promise<void> {
  if (!(await claims.claim(claim))) return;
  let delivered: boolean;
  try {
    delivered = await send();
  } catch (error) {
    await giveBack(claims, claim, logger);
    throw error;
  }
  if (!delivered) await giveBack(claims, claim, logger);
}

/** A notifier that sends each (deployment, status) once on `channel` (see {@link sendOnce}). */
export function notifyOnce(
  channel: ClaimChannel,
  notifier: Notifier,
  deps: { readonly claims: MessageClaims; readonly logger: Logger },
): Notifier {
  return {
    notify: (n) =>
      sendOnce(
        deps.claims,
        { channel, deploymentId: n.deployment.id, status: n.status },
        async () => {
          await notifier.notify(n);
          return true;
        },
        deps.logger,
      ),
  };
}

async function giveBack(claims: MessageClaims, claim: MessageClaim, logger: Logger) {
  try {
    await claims.release(claim);
  } catch (error) {
    // The send's own outcome matters more; a claim left behind only stops a retry from sending.
    logger.error('message claim not released', { ...claim, ...describeError(error) });
  }
}

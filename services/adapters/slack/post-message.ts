import { describeError, isFerryError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { DeploymentStore } from '../../core/ports.ts';

/** How a Slack message is delivered: retries, and the fetch/sleep to use (tests inject them). */
export interface SlackDelivery {
  readonly logger: Logger;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default 4 */
  readonly maxAttempts?: number;
}

/**
 * Claims a message in the store (a conditional write), so each one is sent at most once however
 * many times a step is retried or an event redelivered. False when it was claimed before.
 */
export async function claimMessage(
  store: DeploymentStore,
  key: string,
  deploymentId: string,
): Promise<boolean> {
  try {
    await store.putIdempotencyKey({
      key,
      requestHash: key,
      deploymentId,
      expiresAt: Math.floor(Date.now() / 1000) + 30 * 86400,
    });
    return true;
  } catch (error) {
    if (isFerryError(error, 'ConflictError')) return false;
    throw error;
  }
}

/**
 * POSTs a JSON message to a Slack URL (incoming webhook or `response_url`): retried with
 * exponential backoff on 5xx, 429 and network errors, never on another 4xx. Redirects are not
 * followed (a redirect could point anywhere), and the URL is never logged: it is a credential.
 * `data` identifies the message in logs. True when Slack accepted it.
 */
export async function postSlackMessage(
  url: string,
  message: unknown,
  data: Record<string, unknown>,
  delivery: SlackDelivery,
): Promise<boolean> {
  const { logger } = delivery;
  const send = delivery.fetch ?? fetch;
  const sleep = delivery.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const attempts = delivery.maxAttempts ?? 4;
  const body = JSON.stringify(message);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let answer: number | string;
    try {
      const res = await send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        redirect: 'manual',
      });
      await res.body?.cancel();
      if (res.ok) {
        logger.info('slack message sent', { ...data, attempt });
        return true;
      }
      answer = res.status;
      // A 4xx (or a redirect) will not pass with retries.
      if (res.status < 500 && res.status !== 429) break;
    } catch (error) {
      answer = describeError(error).name;
    }
    logger.warn('slack message attempt failed', { ...data, attempt, answer });
    if (attempt < attempts) await sleep(2 ** attempt * 250);
  }
  logger.error('slack message not delivered', data);
  return false;
}

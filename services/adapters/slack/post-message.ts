import { describeError, TransientError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';

/** How a Slack message is delivered: retries, timeouts, and the fetch/sleep to use (tests inject them). */
export interface SlackDelivery {
  readonly logger: Logger;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default 4 */
  readonly maxAttempts?: number;
  /** Bound on one POST, so a hung Slack fails the attempt instead of the whole step. @default 5000 */
  readonly attemptTimeoutMs?: number;
}

/** How a post ended: `sent`; `failed` (5xx, 429, network, timeout: may pass later); `refused` (another 4xx, a redirect). */
export type SlackPostOutcome = 'sent' | 'failed' | 'refused';

/**
 * POSTs a JSON message to a Slack URL (incoming webhook or `response_url`): retried with
 * exponential backoff on 5xx, 429, network errors and timeouts, never on another 4xx. Redirects
 * are not followed (a redirect could point anywhere), and the URL is never logged: it is a
 * credential. `data` identifies the message in logs.
 */
export async function postSlackMessage(
  url: string,
  message: unknown,
  data: Record<string, unknown>,
  delivery: SlackDelivery,
): Promise<SlackPostOutcome> {
  const { logger } = delivery;
  const send = delivery.fetch ?? fetch;
  const sleep = delivery.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const attempts = delivery.maxAttempts ?? 4;
  const body = JSON.stringify(message);
  let outcome: SlackPostOutcome = 'failed';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let answer: number | string;
    try {
      const res = await send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(delivery.attemptTimeoutMs ?? 5000),
      });
      await res.body?.cancel();
      if (res.ok) {
        logger.info('slack message sent', { ...data, attempt });
        return 'sent';
      }
      answer = res.status;
      // A 4xx (or a redirect) will not pass with retries.
      if (res.status < 500 && res.status !== 429) {
        outcome = 'refused';
        break;
      }
    } catch (error) {
      answer = describeError(error).name;
    }
    logger.warn('slack message attempt failed', { ...data, attempt, answer });
    if (attempt < attempts) await sleep(2 ** attempt * 250);
  }
  logger.error('slack message not delivered', { ...data, outcome });
  return outcome;
}

/**
 * Posts a message for `sendOnce` (notify-once.ts): true when sent, false when Slack refused it (logged, and
 * retrying would not help), a TransientError when it may pass later, so the step is retried.
 */
export async function deliverSlackMessage(
  url: string,
  message: unknown,
  data: Record<string, unknown>,
  delivery: SlackDelivery,
): Promise<boolean> {
  const outcome = await postSlackMessage(url, message, data, delivery);
  if (outcome === 'failed') {
    throw new TransientError(`slack message not delivered: ${JSON.stringify(data)}`);
  }
  return outcome === 'sent';
}

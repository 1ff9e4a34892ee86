import { describeError, isFerryError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { DeploymentNotification, DeploymentStore, Notifier } from '../../core/ports.ts';
import { deploymentMessage } from './block-kit.ts';

/** Options for {@link SlackWebhookNotifier}. */
export interface SlackWebhookNotifierOptions {
  /** The incoming-webhook URL for a function's notify channel, or undefined for none. */
  readonly webhookFor: (notifyChannel: string) => Promise<string | undefined>;
  /** Remembers what was sent, so each (deployment, status) is sent once. */
  readonly store: DeploymentStore;
  readonly logger: Logger;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default 4 */
  readonly maxAttempts?: number;
  /** Link to a deployment page. @default - none */
  readonly linkFor?: (deploymentId: string) => string;
}

/**
 * Posts deployment status messages to a function's Slack channel (incoming webhook): once per
 * (deployment, status) — a conditional write claims the message before sending —, retried with
 * backoff on 5xx and network errors, and never logging the webhook URL (it is a credential).
 */
export class SlackWebhookNotifier implements Notifier {
  constructor(private readonly options: SlackWebhookNotifierOptions) {}

  async notify({ deployment, status, critical }: DeploymentNotification): Promise<void> {
    const { store, logger } = this.options;
    const settings = await store.getSettings(deployment.functionName);
    const channel = settings?.notifyChannel;
    if (!channel) return;
    const url = await this.options.webhookFor(channel);
    const data = {
      deploymentId: deployment.id,
      functionName: deployment.functionName,
      status,
      channel,
    };
    if (!url) {
      logger.warn('no webhook for notify channel', data);
      return;
    }
    try {
      await store.putIdempotencyKey({
        key: `notify:${deployment.id}:${status}`,
        requestHash: status,
        deploymentId: deployment.id,
        expiresAt: Math.floor(Date.now() / 1000) + 30 * 86400,
      });
    } catch (error) {
      if (isFerryError(error, 'ConflictError')) return; // already sent (or being sent) once
      throw error;
    }
    const body = JSON.stringify(
      deploymentMessage(deployment, status, critical, this.options.linkFor?.(deployment.id)),
    );
    const send = this.options.fetch ?? fetch;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
    const attempts = this.options.maxAttempts ?? 4;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let status_: number | string;
      try {
        const res = await send(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await res.body?.cancel();
        if (res.ok) {
          logger.info('notification sent', { ...data, attempt });
          return;
        }
        status_ = res.status;
        if (res.status < 500 && res.status !== 429) break; // a 4xx will not pass with retries
      } catch (error) {
        status_ = describeError(error).name;
      }
      logger.warn('notification attempt failed', { ...data, attempt, answer: status_ });
      if (attempt < attempts) await sleep(2 ** attempt * 250);
    }
    logger.error('notification not delivered', data);
  }
}

import type {
  DeploymentNotification,
  MessageClaims,
  Notifier,
  SettingsStore,
} from '../../core/ports.ts';
import { sendOnce } from '../notify-once.ts';
import { deploymentMessage } from './block-kit.ts';
import { deliverSlackMessage, type SlackDelivery } from './post-message.ts';

/** Options for {@link SlackWebhookNotifier}. */
export interface SlackWebhookNotifierOptions extends SlackDelivery {
  /** The incoming-webhook URL for a function's notify channel, or undefined for none. */
  readonly webhookFor: (notifyChannel: string) => Promise<string | undefined>;
  /** Where a function's notify channel is set. */
  readonly store: SettingsStore;
  /** Remembers what was sent (channel `notify`), so each (deployment, status) is sent once. */
  readonly claims: MessageClaims;
  /** Link to a deployment page. @default - none */
  readonly linkFor?: (deploymentId: string) => string;
}

/**
 * Posts deployment status messages to a function's Slack channel (incoming webhook): once per
 * (deployment, status) — a claim is taken before sending and given back when the send fails —,
 * retried with backoff on 5xx and network errors (then a TransientError, so the step retries),
 * and never logging the webhook URL (it is a credential).
 */
export class SlackWebhookNotifier implements Notifier {
  constructor(private readonly options: SlackWebhookNotifierOptions) {}

  async notify({ deployment, status, critical }: DeploymentNotification): Promise<void> {
    const { store, claims, logger } = this.options;
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
    const message = deploymentMessage(
      deployment,
      status,
      critical,
      this.options.linkFor?.(deployment.id),
    );
    await sendOnce(
      claims,
      { channel: 'notify', deploymentId: deployment.id, status },
      () => deliverSlackMessage(url, message, data, this.options),
      logger,
    );
  }
}

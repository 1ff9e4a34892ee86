import type { DeploymentNotification, DeploymentStore, Notifier } from '../../core/ports.ts';
import { deploymentMessage } from './block-kit.ts';
import { claimMessage, postSlackMessage, type SlackDelivery } from './post-message.ts';

/** Options for {@link SlackWebhookNotifier}. */
export interface SlackWebhookNotifierOptions extends SlackDelivery {
  /** The incoming-webhook URL for a function's notify channel, or undefined for none. */
  readonly webhookFor: (notifyChannel: string) => Promise<string | undefined>;
  /** Remembers what was sent, so each (deployment, status) is sent once. */
  readonly store: DeploymentStore;
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
    if (!(await claimMessage(store, `notify:${deployment.id}:${status}`, deployment.id))) return;
    const message = deploymentMessage(
      deployment,
      status,
      critical,
      this.options.linkFor?.(deployment.id),
    );
    await postSlackMessage(url, message, data, this.options);
  }
}

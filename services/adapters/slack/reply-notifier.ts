import { isAllowedReplyUrl, SLACK_REPLY_ORIGINS } from '../../chatops/reply-url.ts';
import { isTerminal } from '../../core/deployment.ts';
import type {
  DeploymentNotification,
  MessageClaims,
  Notifier,
  ReplyUrls,
} from '../../core/ports.ts';
import { sendOnce } from '../notify-once.ts';
import { deploymentMessage } from './block-kit.ts';
import { deliverSlackMessage, type SlackDelivery } from './post-message.ts';

/** Options for {@link SlackReplyNotifier}. */
export interface SlackReplyNotifierOptions extends SlackDelivery {
  /** Holds each Slack-started deployment's `response_url`. */
  readonly store: ReplyUrls;
  /** Remembers what was sent (channel `reply`), so each (deployment, status) is posted once. */
  readonly claims: MessageClaims;
  /** Origins a reply may go to. @default ['https://hooks.slack.com'] */
  readonly replyOrigins?: readonly string[];
  /** Link to a deployment page. @default - none */
  readonly linkFor?: (deploymentId: string) => string;
}

/**
 * Answers a slash command's deployment in the conversation it came from: the progress (RUNNING)
 * to the requester, the result to the channel, via the command's `response_url` (Slack accepts
 * five posts within 30 minutes; Ferry sends at most one per status). The URL is checked against
 * Slack's origins again here — the store is not trusted to hold only what the API checked.
 */
export class SlackReplyNotifier implements Notifier {
  constructor(private readonly options: SlackReplyNotifierOptions) {}

  async notify({ deployment, status, critical }: DeploymentNotification): Promise<void> {
    const { store, claims, logger } = this.options;
    const url = await store.getReplyUrl(deployment.id);
    if (!url) return;
    const data = { deploymentId: deployment.id, functionName: deployment.functionName, status };
    if (!isAllowedReplyUrl(url, this.options.replyOrigins ?? SLACK_REPLY_ORIGINS)) {
      logger.warn('reply URL refused: not a Slack origin', data);
      return;
    }
    const message = {
      response_type: isTerminal(status) ? 'in_channel' : 'ephemeral',
      replace_original: false,
      ...deploymentMessage(deployment, status, critical, this.options.linkFor?.(deployment.id)),
    };
    await sendOnce(
      claims,
      { channel: 'reply', deploymentId: deployment.id, status },
      () => deliverSlackMessage(url, message, data, this.options),
      logger,
    );
  }
}

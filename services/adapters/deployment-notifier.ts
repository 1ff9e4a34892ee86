import type { Logger } from '../core/logger.ts';
import type { DeploymentStore, MessageClaims, Notifier } from '../core/ports.ts';
import { allNotifiers } from './all-notifiers.ts';
import { LogNotifier } from './log-notifier.ts';
import { notifyOnce } from './notify-once.ts';
import { SlackReplyNotifier } from './slack/reply-notifier.ts';
import { SlackWebhookNotifier } from './slack/slack-notifier.ts';

/** What {@link deploymentNotifier} sends through; each runtime fills it with its own parts. */
export interface DeploymentNotifierParts {
  readonly store: DeploymentStore;
  readonly claims: MessageClaims;
  readonly logger: Logger;
  /** Base of the web page's deployment links in messages. @default - messages carry no link */
  readonly publicBaseUrl?: string;
  /** A notify channel's incoming webhook. @default - no channel messages */
  readonly webhookFor?: (channel: string) => Promise<string | undefined>;
  /** Origins slash-command replies may go to. @default the reply notifier's (Slack's) */
  readonly replyOrigins?: readonly string[];
  /** Where status events go (EventBridge on AWS). @default - none are sent */
  readonly events?: Notifier;
}

/**
 * Every notifier a runtime enables, composed the same way on AWS and locally: a log line always,
 * the function's Slack channel when there are webhooks, the slash command's reply URL (it needs
 * no secret: the API stored the URL with the deployment, or nothing), and status events when
 * there is a bus. Each sends a (deployment, status) once, through its own claims.
 */
export function deploymentNotifier(parts: DeploymentNotifierParts): Notifier {
  const { store, claims, logger } = parts;
  const base = parts.publicBaseUrl?.replace(/\/+$/, '');
  const link = base ? { linkFor: (id: string) => `${base}/deployments/${id}` } : {};
  const all: Notifier[] = [notifyOnce('log', new LogNotifier(logger), { claims, logger })];
  if (parts.webhookFor)
    all.push(
      new SlackWebhookNotifier({ webhookFor: parts.webhookFor, store, claims, logger, ...link }),
    );
  all.push(
    new SlackReplyNotifier({
      store,
      claims,
      logger,
      ...link,
      ...(parts.replyOrigins ? { replyOrigins: parts.replyOrigins } : {}),
    }),
  );
  if (parts.events) all.push(notifyOnce('event', parts.events, { claims, logger }));
  return allNotifiers(...all);
}

import type { SlackUserLinks } from '../core/ports.ts';
import { SLACK_USER_ID } from './slack-user-id.ts';

/**
 * The team a Slack user acts for: the stack's configuration first (reviewed with the code), then
 * a link the admin team made through `/v1/slack-users`; undefined when neither maps the user.
 */
export async function slackTeamOf(
  configured: Readonly<Record<string, string>>,
  links: SlackUserLinks | undefined,
  userId: string,
): Promise<string | undefined> {
  if (Object.hasOwn(configured, userId)) return configured[userId];
  if (!links || !SLACK_USER_ID.test(userId)) return undefined;
  return (await links.teamOf(userId)) ?? undefined;
}

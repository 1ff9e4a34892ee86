/** A Slack user linked to a Ferry team: the one schema the store reads and the API serves. */
import { z } from 'zod';

/** A Slack user linked to a Ferry team through the API (`/v1/slack-users/{userId}`). */
export const slackUserLinkSchema = z.object({
  userId: z.string().describe('Slack user id, `U…` or `W…`'),
  team: z.string(),
  linkedBy: z.string().describe('The admin principal that linked it'),
  linkedAt: z.string().describe('ISO 8601'),
});

/** A Slack user linked to a Ferry team. */
export type SlackUserLink = z.output<typeof slackUserLinkSchema>;

import { createHmac } from 'node:crypto';

/** Headers Slack sends with a slash command signed with `secret` at `timestamp` (epoch seconds). */
export function slackHeaders(secret: string, timestamp: number, body: string) {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signature,
  };
}

/** A slash command's form body as Slack sends it. */
export function slashCommandBody(fields: {
  text: string;
  userId: string;
  responseUrl?: string;
  workspace?: string;
}): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: fields.workspace ?? 'T0FERRY',
    team_domain: 'ferry-test',
    channel_id: 'C0DEPLOYS',
    channel_name: 'deploys',
    user_id: fields.userId,
    user_name: 'someone',
    command: '/ferry',
    text: fields.text,
    response_url: fields.responseUrl ?? 'https://hooks.slack.com/commands/T0FERRY/1/abc',
    trigger_id: '1.2.3',
  }).toString();
}

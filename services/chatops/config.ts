/** How Slack slash commands are verified, who they act for and where replies may go. */
export interface SlackChatopsConfig {
  /** The Slack app's signing secret (read once per cold start from Secrets Manager on AWS). */
  readonly signingSecret: () => Promise<string>;
  /**
   * Slack user id (`U…`/`W…`) → Ferry team, from the stack's configuration; users may also be
   * linked through `/v1/slack-users`. A user in neither can only read `/ferry help`.
   */
  readonly users: Readonly<Record<string, string>>;
  /** Slack workspace ids (`team_id`) accepted. @default - any workspace the signing secret covers */
  readonly workspaces?: readonly string[];
  /** Origins a `response_url` may have. @default ['https://hooks.slack.com'] */
  readonly replyOrigins?: readonly string[];
}

/** Where Slack's `response_url`s live; anything else is refused. */
export const SLACK_REPLY_ORIGINS: readonly string[] = ['https://hooks.slack.com'];

/**
 * True when `url` may receive a reply: an absolute URL whose origin (scheme, host and port) is
 * exactly one of `origins`, with no user info. A slash command's `response_url` comes in the
 * request body, so anything else could make Ferry POST to an address of the sender's choosing
 * (SSRF); tests add their 127.0.0.1 stand-in to `origins`.
 */
export function isAllowedReplyUrl(
  url: string,
  origins: readonly string[] = SLACK_REPLY_ORIGINS,
): boolean {
  if (url.length > 2048) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  return origins.includes(parsed.origin);
}

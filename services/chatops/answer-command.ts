/**
 * A verified slash command's form → the answer Slack shows. Decides who the Slack user acts for
 * (workspace, user mapping), which reply URL may be kept, and turns the use cases' named errors
 * into warnings: Slack shows anything but a 200 as a bare "dispatch_failed", so every outcome
 * is an answer.
 */
import type { Caller } from '../app/caller.ts';
import { describeError, isFerryError } from '../core/errors.ts';
import type { SlackUserLinks } from '../core/ports.ts';
import type { SlackChatopsConfig } from './config.ts';
import { isAllowedReplyUrl, SLACK_REPLY_ORIGINS } from './reply-url.ts';
import { type ChatopsDeps, runSlashCommand } from './run-command.ts';
import { ephemeral, help, type SlackAnswer, warning } from './slack-messages.ts';
import { slackTeamOf } from './slack-team.ts';
import { parseSlashCommand, SLASH_HELP } from './slash-command.ts';

/** Errors that refuse a command for a reason the user can act on (their message says how). */
const REFUSALS = [
  'InvalidRequestError',
  'NotFoundError',
  'ConflictError',
  'AccessDeniedError',
] as const;

/** Runs the command a verified Slack form carries and answers it. */
export async function answerSlashCommand(
  deps: ChatopsDeps & { readonly slackUsers?: SlackUserLinks | undefined },
  slack: SlackChatopsConfig,
  form: URLSearchParams,
): Promise<SlackAnswer> {
  const userId = form.get('user_id') ?? '';
  const workspace = form.get('team_id') ?? '';
  const command = parseSlashCommand(form.get('text') ?? '');
  const log = { slackUser: userId, workspace, command: command.kind };

  if (slack.workspaces?.length && !slack.workspaces.includes(workspace)) {
    deps.logger.warn('slack workspace refused', log);
    return ephemeral('This Slack workspace is not connected to Ferry.');
  }
  const team = await slackTeamOf(slack.users, deps.slackUsers, userId);
  if (!team) {
    if (command.kind === 'help') return help(SLASH_HELP);
    deps.logger.warn('slack user not mapped to a team', log);
    return warning(
      `Your Slack user (${userId || 'unknown'}) is not mapped to a Ferry team: ask the platform team to link it (ferry slack-users link ${userId || '<your Slack member ID>'} <team>).`,
    );
  }
  const caller: Caller = {
    principal: `slack:${workspace}:${userId}`,
    team,
    admin: team === deps.config.adminTeam,
  };
  const responseUrl = form.get('response_url') ?? '';
  const replyUrl = isAllowedReplyUrl(responseUrl, slack.replyOrigins ?? SLACK_REPLY_ORIGINS)
    ? responseUrl
    : undefined;
  if (responseUrl && !replyUrl) deps.logger.warn('response_url refused: not a Slack origin', log);

  try {
    const reply = await runSlashCommand(deps, command, { caller, replyUrl });
    deps.logger.info('slack command', { ...log, team });
    return reply;
  } catch (error) {
    const { name, message } = describeError(error);
    if (REFUSALS.some((refusal) => isFerryError(error, refusal))) {
      deps.logger.info('slack command refused', { ...log, team, error: name });
      return warning(message);
    }
    deps.logger.error('slack command failed', { ...log, team, error: name, message });
    return warning('Ferry could not run the command (the error is logged): try again.');
  }
}

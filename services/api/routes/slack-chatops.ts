import { Hono } from 'hono';
import { isAllowedReplyUrl, SLACK_REPLY_ORIGINS } from '../../chatops/reply-url.ts';
import { ephemeral, help, warning } from '../../chatops/slack-messages.ts';
import { verifySlackRequest } from '../../chatops/slack-signature.ts';
import { parseSlashCommand, SLASH_HELP } from '../../chatops/slash-command.ts';
import { describeError } from '../../core/errors.ts';
import type { ApiDeps, Caller } from '../deps.ts';
import { ApiProblem } from '../problem.ts';
import { runSlashCommand } from '../slack-commands.ts';
import { slackTeamOf } from '../slack-team.ts';

/**
 * `POST /v1/chatops/slack`: Slack's slash command. Authenticated by Slack's request signature
 * (HMAC of the raw body with the app's signing secret, 5-minute window) instead of SigV4 or a
 * bearer token — anything unsigned, forged, altered or replayed is a 401 and nothing happens.
 * Once verified, Slack always gets a 200 with an ephemeral answer (a non-200 shows the user a
 * bare "dispatch_failed"): refusals and errors are answers too. The user acts for the Ferry team
 * the user mapping names, with exactly the API's authorization.
 */
export function slackChatopsRoutes(deps: ApiDeps) {
  return new Hono().post('/', async (c) => {
    const slack = deps.slack;
    if (!slack)
      throw new ApiProblem(404, 'not-found', 'Slack chatops is not enabled on this Ferry');
    const body = await c.req.text();
    if (body.length > deps.config.maxBodyBytes)
      throw new ApiProblem(
        413,
        'payload-too-large',
        `request bodies are limited to ${deps.config.maxBodyBytes} bytes`,
      );
    let secret: string;
    try {
      secret = await slack.signingSecret();
    } catch (error) {
      deps.logger.error('slack signing secret unavailable', describeError(error));
      throw new ApiProblem(503, 'unavailable', 'Slack chatops is not ready: try again later');
    }
    const verdict = verifySlackRequest(
      secret,
      {
        timestamp: c.req.header('x-slack-request-timestamp'),
        signature: c.req.header('x-slack-signature'),
      },
      body,
      Math.floor(deps.clock.now().getTime() / 1000),
    );
    if (!verdict.ok) {
      deps.logger.warn('slack request refused', { reason: verdict.reason });
      throw new ApiProblem(401, 'unauthenticated', 'missing or invalid Slack request signature');
    }

    const form = new URLSearchParams(body);
    // Slack checks the endpoint's certificate now and then with a signed `ssl_check=1`.
    if (form.get('ssl_check') === '1') return c.body(null, 200);
    const userId = form.get('user_id') ?? '';
    const workspace = form.get('team_id') ?? '';
    const command = parseSlashCommand(form.get('text') ?? '');
    const log = { slackUser: userId, workspace, command: command.kind };

    if (slack.workspaces?.length && !slack.workspaces.includes(workspace)) {
      deps.logger.warn('slack workspace refused', log);
      return c.json(ephemeral('This Slack workspace is not connected to Ferry.'));
    }
    const team = await slackTeamOf(slack.users, deps.slackUsers, userId);
    if (!team) {
      if (command.kind === 'help') return c.json(help(SLASH_HELP));
      deps.logger.warn('slack user not mapped to a team', log);
      return c.json(
        warning(
          `Your Slack user (${userId || 'unknown'}) is not mapped to a Ferry team: ask the platform team to link it (ferry slack-users link ${userId || '<your Slack member ID>'} <team>).`,
        ),
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
      return c.json(reply);
    } catch (error) {
      if (error instanceof ApiProblem) {
        deps.logger.info('slack command refused', { ...log, team, status: error.status });
        return c.json(warning(error.detail));
      }
      deps.logger.error('slack command failed', { ...log, team, ...describeError(error) });
      return c.json(warning('Ferry could not run the command (the error is logged): try again.'));
    }
  });
}

import { Hono } from 'hono';
import { answerSlashCommand } from '../../chatops/answer-command.ts';
import { verifySlackRequest } from '../../chatops/slack-signature.ts';
import { describeError } from '../../core/errors.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiProblem } from '../problem.ts';

/**
 * `POST /v1/chatops/slack`: Slack's slash command. Authenticated by Slack's request signature
 * (HMAC of the raw body with the app's signing secret, 5-minute window) instead of SigV4 or a
 * bearer token — anything unsigned, forged, altered or replayed is a 401 and nothing happens.
 * Once verified, Slack always gets a 200 with an ephemeral answer (a non-200 shows the user a
 * bare "dispatch_failed"): refusals and errors are answers too (services/chatops decides them).
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
    const chatops = { ...deps, publicBaseUrl: deps.config.publicBaseUrl };
    return c.json(await answerSlashCommand(chatops, slack, form));
  });
}

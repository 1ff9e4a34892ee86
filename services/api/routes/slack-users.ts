/**
 * `/v1/slack-users`: which Ferry team a Slack user acts for in slash commands, managed by the
 * admin team without a redeploy. Users mapped in the stack's configuration (`ferry:slackUsers`)
 * are listed too and stay managed there: the API refuses to override or unlink them.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { requireAdmin } from '../../app/ownership.ts';
import { SLACK_USER_ID } from '../../chatops/slack-user-id.ts';
import type { SlackUserLink } from '../../core/ports.ts';
import type { ApiDeps } from '../deps.ts';
import { problemResponses, router } from '../env.ts';
import { ApiProblem } from '../problem.ts';
import { slackUserLinkListSchema, slackUserLinkResponseSchema } from '../response-schemas.ts';

const userParam = z.object({
  userId: z
    .string()
    .regex(SLACK_USER_ID, 'a Slack user id such as U024BE7LH (Slack: profile → ⋮ → Copy member ID)')
    .openapi({ param: { name: 'userId', in: 'path' } }),
});
const linkBody = z.strictObject({ team: z.string().min(1).max(64) });
const listLinks = createRoute({
  method: 'get',
  path: '/',
  summary: 'Slack users and the team each acts for in slash commands (admin team)',
  responses: {
    200: {
      description: 'Every mapped Slack user, configuration first',
      content: { 'application/json': { schema: slackUserLinkListSchema } },
    },
    ...problemResponses([401, 403, 404]),
  },
});
const putLink = createRoute({
  method: 'put',
  path: '/{userId}',
  summary: 'Links a Slack user to a team (admin team)',
  request: {
    params: userParam,
    body: { content: { 'application/json': { schema: linkBody } }, required: true },
  },
  responses: {
    200: {
      description: 'The link',
      content: { 'application/json': { schema: slackUserLinkResponseSchema } },
    },
    ...problemResponses([400, 401, 403, 404, 409, 413, 415]),
  },
});
const deleteLink = createRoute({
  method: 'delete',
  path: '/{userId}',
  summary: 'Unlinks a Slack user (admin team)',
  request: { params: userParam },
  responses: { 204: { description: 'Unlinked' }, ...problemResponses([400, 401, 403, 404, 409]) },
});

/** `/v1/slack-users` routes. */
export function slackUserRoutes(deps: ApiDeps) {
  const configured = deps.slack?.users ?? {};
  const links = () => {
    if (!deps.slackUsers)
      throw new ApiProblem(404, 'not-found', 'Slack user links are not configured on this Ferry');
    return deps.slackUsers;
  };
  const refuseConfigured = (userId: string) => {
    if (Object.hasOwn(configured, userId))
      throw new ApiProblem(
        409,
        'conflict',
        `${userId} is mapped to team ${configured[userId]} in the stack's configuration (ferry:slackUsers): change it there`,
      );
  };
  return router()
    .openapi(listLinks, async (c) => {
      requireAdmin(c.get('caller'), 'listing Slack user links');
      const fromConfig = Object.entries(configured).map(([userId, team]) => ({
        userId,
        team,
        source: 'config' as const,
      }));
      const fromApi = (await links().list())
        .filter((l) => !Object.hasOwn(configured, l.userId))
        .sort((a, b) => a.userId.localeCompare(b.userId))
        .map((l) => ({ ...l, source: 'api' as const }));
      return c.json({ items: [...fromConfig, ...fromApi] }, 200);
    })
    .openapi(putLink, async (c) => {
      const { userId } = c.req.valid('param');
      const caller = c.get('caller');
      requireAdmin(caller, 'linking Slack users');
      refuseConfigured(userId);
      const link: SlackUserLink = {
        userId,
        team: c.req.valid('json').team,
        linkedBy: caller.principal,
        linkedAt: deps.clock.now().toISOString(),
      };
      await links().link(link);
      deps.logger.info('slack user linked', {
        slackUser: userId,
        team: link.team,
        by: caller.principal,
      });
      return c.json({ ...link, source: 'api' as const }, 200);
    })
    .openapi(deleteLink, async (c) => {
      const { userId } = c.req.valid('param');
      const caller = c.get('caller');
      requireAdmin(caller, 'unlinking Slack users');
      refuseConfigured(userId);
      await links().unlink(userId);
      deps.logger.info('slack user unlinked', { slackUser: userId, by: caller.principal });
      return c.body(null, 204);
    });
}

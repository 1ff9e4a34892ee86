/**
 * `GET /v1/functions/{name}/logs`: what the function printed (CloudWatch Logs on AWS, the local
 * function host's log store locally), checked like the function's other reads.
 */
import { createRoute } from '@hono/zod-openapi';
import { logsFor } from '../../app/function-logs.ts';
import { parseSince } from '../../core/log-since.ts';
import type { ApiDeps } from '../deps.ts';
import { problemResponses, router } from '../env.ts';
import { functionLogPageSchema } from '../response-schemas.ts';
import { functionParamSchema, logsQuerySchema } from '../schemas.ts';

const logs = createRoute({
  method: 'get',
  path: '/{name}/logs',
  summary:
    "The function's log lines, oldest first: the newest `limit` since `since`, or what came after `cursor` (follow by polling with it)",
  request: { params: functionParamSchema, query: logsQuerySchema },
  responses: {
    200: {
      description: 'A page of log lines (empty when the function has not logged)',
      content: { 'application/json': { schema: functionLogPageSchema } },
    },
    ...problemResponses([400, 401, 403, 404]),
  },
});

/** The logs route, mounted under `/v1/functions`. */
export function functionLogRoutes(deps: ApiDeps) {
  return router().openapi(logs, async (c) => {
    const { name } = c.req.valid('param');
    const { version, since, cursor, limit } = c.req.valid('query');
    const page = await logsFor(deps, c.get('caller'), name, {
      version,
      since: since === undefined ? undefined : (parseSince(since, deps.clock.now()) ?? undefined),
      cursor,
      limit,
    });
    return c.json({ events: [...page.events], cursor: page.cursor }, 200);
  });
}

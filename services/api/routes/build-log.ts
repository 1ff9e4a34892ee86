/**
 * `GET /v1/deployments/{id}/build-log`: the source build's log (CodeBuild's CloudWatch stream on
 * AWS, builds/<id>.log locally), read by whoever may read the deployment.
 */
import { createRoute } from '@hono/zod-openapi';
import { buildLogFor } from '../../app/build-log.ts';
import type { ApiDeps } from '../deps.ts';
import { problemResponses, router } from '../env.ts';
import { buildLogPageSchema } from '../response-schemas.ts';
import { buildLogQuerySchema, deploymentParamSchema } from '../schemas.ts';

const buildLog = createRoute({
  method: 'get',
  path: '/{id}/build-log',
  summary:
    "The deployment's build log, oldest first: the last `tail` lines (default 100), or what came after `cursor` (follow by polling with it)",
  description:
    '404 when the deployment deployed an image (it had no build). While a source build has not started, `buildId` and `cursor` are null and there are no lines.',
  request: { params: deploymentParamSchema, query: buildLogQuerySchema },
  responses: {
    200: {
      description: "Lines of the build's log",
      content: { 'application/json': { schema: buildLogPageSchema } },
    },
    ...problemResponses([400, 401, 403, 404]),
  },
});

/** The build-log route, mounted under `/v1/deployments`. */
export function buildLogRoutes(deps: ApiDeps) {
  return router().openapi(buildLog, async (c) => {
    const { id } = c.req.valid('param');
    const { tail, cursor, limit } = c.req.valid('query');
    const answer = await buildLogFor(deps, c.get('caller'), id, { tail, cursor, limit });
    return c.json({ ...answer, lines: [...answer.lines] }, 200);
  });
}

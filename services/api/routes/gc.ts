/**
 * `POST /v1/gc`: removes the images and Lambda versions no release can need, or with
 * `dryRun` says what would go (services/app/collect-garbage.ts). Admin team only: it acts on
 * every function's registry and versions.
 */
import { createRoute } from '@hono/zod-openapi';
import { requireAdmin } from '../../app/ownership.ts';
import type { ApiDeps } from '../deps.ts';
import { problemResponses, router } from '../env.ts';
import { gcReportSchema, gcRequestSchema } from '../gc-schemas.ts';
import { ApiProblem } from '../problem.ts';

const run = createRoute({
  method: 'post',
  path: '/',
  summary:
    'Removes the images and versions outside the in-use set, or lists them (`dryRun`) (admin team)',
  request: {
    body: { content: { 'application/json': { schema: gcRequestSchema } }, required: true },
  },
  responses: {
    200: {
      description: 'What went (or would go), what was kept and why, what was skipped',
      content: { 'application/json': { schema: gcReportSchema } },
    },
    ...problemResponses([400, 401, 403, 404, 413, 415]),
  },
});

/** The gc route, mounted at `/v1/gc`. */
export function gcRoutes(deps: ApiDeps) {
  return router().openapi(run, async (c) => {
    requireAdmin(c.get('caller'), 'ferry gc');
    if (!deps.gc)
      throw new ApiProblem(404, 'not-found', 'ferry gc is not configured on this Ferry');
    const { dryRun, ...policy } = c.req.valid('json');
    const report = await deps.gc.run({
      ...(dryRun ? { dryRun } : {}),
      policy,
    });
    return c.json(gcReportSchema.parse(report), 200);
  });
}

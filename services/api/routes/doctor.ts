/**
 * `GET /v1/doctor[?function=NAME]`: what a first deployment needs, each check with its fix
 * (services/app/doctor.ts); the function's checks for its owner or an admin.
 */
import { createRoute } from '@hono/zod-openapi';
import { doctor } from '../../app/doctor.ts';
import type { ApiDeps } from '../deps.ts';
import { problemResponses, router } from '../env.ts';
import { doctorReportSchema } from '../response-schemas.ts';
import { doctorQuerySchema } from '../schemas.ts';

const report = createRoute({
  method: 'get',
  path: '/',
  summary:
    "What a first deployment needs, checked against the target: the stack's Slack secret and, with `function`, its registration, Lambda configuration, opt-in, alias and image repository",
  request: { query: doctorQuerySchema },
  responses: {
    200: {
      description: 'Every check, passed or not (a failed one says how to fix it)',
      content: { 'application/json': { schema: doctorReportSchema } },
    },
    ...problemResponses([400, 401, 403]),
  },
});

/** The doctor route, mounted at `/v1/doctor`. */
export function doctorRoutes(deps: ApiDeps) {
  return router().openapi(report, async (c) => {
    const name = c.req.valid('query').function;
    const checks = await doctor(
      {
        ...deps.doctor,
        store: deps.store,
        ...(deps.config.watchedRepositories
          ? { watchedRepositories: deps.config.watchedRepositories }
          : {}),
        ...(deps.slack ? { slack: deps.slack } : {}),
      },
      c.get('caller'),
      name,
    );
    return c.json(
      { ...(name ? { function: name } : {}), ok: checks.every((x) => x.ok), checks },
      200,
    );
  });
}

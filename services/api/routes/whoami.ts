/** `GET /v1/whoami`: who the API takes the caller for (principal, team, admin), for `ferry doctor`. */
import { createRoute } from '@hono/zod-openapi';
import { problemResponses, router } from '../env.ts';
import { whoamiSchema } from '../response-schemas.ts';

const whoami = createRoute({
  method: 'get',
  path: '/',
  summary: "The caller's principal and team, as authenticated",
  responses: {
    200: {
      description: 'The caller',
      content: { 'application/json': { schema: whoamiSchema } },
    },
    ...problemResponses([401]),
  },
});

/** The whoami route, mounted at `/v1/whoami`. */
export function whoamiRoutes() {
  return router().openapi(whoami, (c) => {
    const { principal, team, admin } = c.get('caller');
    return c.json({ principal, team, admin }, 200);
  });
}

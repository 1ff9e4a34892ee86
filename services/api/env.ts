import { OpenAPIHono } from '@hono/zod-openapi';
import type { Caller } from './deps.ts';
import { validationProblem } from './problem.ts';

/** Hono environment: the authenticated caller is a context variable. */
export interface ApiEnv {
  Variables: { caller: Caller };
}

/** A router whose validation failures become problem+json (thrown to app.onError). */
export function router(): OpenAPIHono<ApiEnv> {
  return new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const where = c.req.method === 'GET' ? 'request' : 'request body';
        throw validationProblem(result.error.issues, where);
      }
    },
  });
}

/** Standard error responses for the OpenAPI document. */
export const problemResponses = (codes: readonly number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      code,
      {
        description: `problem (${code})`,
        content: {
          'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
        },
      },
    ]),
  );

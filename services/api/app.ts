import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { describeError } from '../core/errors.ts';
import type { ApiDeps } from './deps.ts';
import type { ApiEnv } from './env.ts';
import { ApiProblem, problemResponse } from './problem.ts';
import { deploymentRoutes } from './routes/deployments.ts';
import { functionRoutes } from './routes/functions.ts';
import { healthRoutes } from './routes/health.ts';
import { problemSchema } from './schemas.ts';

/** The Ferry API: every route but /healthz authenticated; every error a problem+json. */
export function createApp(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  app.route('/healthz', healthRoutes());

  app.use('/v1/*', async (c, next) => {
    const caller = await deps.authenticator.authenticate(c);
    if (!caller) {
      throw new ApiProblem(
        401,
        'unauthenticated',
        'no valid credentials: send a SigV4-signed request (AWS) or Authorization: Bearer <token> (local mode)',
      );
    }
    c.set('caller', caller);
    await next();
  });
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: deps.config.maxBodyBytes,
      onError: () => {
        throw new ApiProblem(
          413,
          'payload-too-large',
          `request bodies are limited to ${deps.config.maxBodyBytes} bytes`,
        );
      },
    }),
  );
  app.use('/v1/*', async (c, next) => {
    if (
      (c.req.method === 'POST' || c.req.method === 'PUT') &&
      !/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')
    ) {
      throw new ApiProblem(415, 'unsupported-media-type', 'send the body as application/json');
    }
    await next();
  });

  app.route('/v1/deployments', deploymentRoutes(deps));
  app.route('/v1/functions', functionRoutes(deps));
  app.openAPIRegistry.register('Problem', problemSchema);
  app.doc31('/v1/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Ferry API',
      version: '1',
      description: 'Build, scan, release and roll back container-image Lambda functions.',
    },
    security: [{ sigv4: [] }, { bearer: [] }],
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'sigv4', {
    type: 'apiKey',
    name: 'Authorization',
    in: 'header',
    description: 'AWS SigV4 (API Gateway IAM auth)',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'Local mode token',
  });

  app.notFound((c) =>
    problemResponse(c, new ApiProblem(404, 'not-found', `no route ${c.req.method} ${c.req.path}`)),
  );
  app.onError((error, c) => problemResponse(c, toProblem(error, c, deps)));
  return app;
}

/** Maps anything thrown to a problem; unknown errors become a 500 that leaks nothing. */
function toProblem(error: unknown, c: Context, deps: ApiDeps): ApiProblem {
  if (error instanceof ApiProblem) return error;
  if (error instanceof HTTPException) {
    if (error.status === 400)
      return new ApiProblem(
        400,
        'validation',
        `the request body is not valid JSON (${error.message})`,
      );
    if (error.status === 415)
      return new ApiProblem(415, 'unsupported-media-type', 'send the body as application/json');
  }
  const { name, message } = describeError(error);
  switch (name) {
    case 'InvalidRequestError':
      return message === 'invalid cursor'
        ? new ApiProblem(
            400,
            'invalid-cursor',
            'the cursor is not one this API issued for this function: start from the first page',
          )
        : new ApiProblem(400, 'validation', message);
    case 'NotFoundError':
      return new ApiProblem(404, 'not-found', message);
    case 'ConflictError':
      return new ApiProblem(409, 'conflict', message);
    case 'AccessDeniedError':
      return new ApiProblem(403, 'forbidden', message);
    case 'TransientError':
      return new ApiProblem(
        503,
        'workflow-unavailable',
        'a dependency is busy or unreachable: try again shortly',
      );
  }
  deps.logger.error('unhandled API error', { path: c.req.path, error: name, message });
  return new ApiProblem(500, 'internal', 'an internal error occurred; it has been logged');
}

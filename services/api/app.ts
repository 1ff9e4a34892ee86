import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { webRoutes } from '../web/routes.tsx';
import type { ApiDeps } from './deps.ts';
import type { ApiEnv } from './env.ts';
import { toProblem } from './error-problem.ts';
import { ApiProblem, problemResponse } from './problem.ts';
import { buildLogRoutes } from './routes/build-log.ts';
import { deploymentRoutes } from './routes/deployments.ts';
import { doctorRoutes } from './routes/doctor.ts';
import { functionLogRoutes } from './routes/function-logs.ts';
import { functionRoutes } from './routes/functions.ts';
import { gcRoutes } from './routes/gc.ts';
import { healthRoutes } from './routes/health.ts';
import { registryHookRoutes } from './routes/registry-hook.ts';
import { ruleRoutes } from './routes/rules.ts';
import { slackChatopsRoutes } from './routes/slack-chatops.ts';
import { slackUserRoutes } from './routes/slack-users.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { whoamiRoutes } from './routes/whoami.ts';
import { problemSchema } from './schemas.ts';

/** Routes that verify their own callers (an HMAC of the body) instead of SigV4 or a token. */
const SELF_AUTHENTICATED: ReadonlySet<string> = new Set([
  '/v1/hooks/registry',
  '/v1/chatops/slack',
]);

/** POST routes that read no body (a bare `curl -X POST` works): nothing there to smuggle. */
const READS_NO_BODY = /^\/v1\/deployments\/[^/]+\/(approve|abort)$/;

/** The Ferry API: every route but /healthz authenticated; every error a problem+json. */
export function createApp(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  app.route('/healthz', healthRoutes());
  // Authenticated by an HMAC of its body (the registry cannot hold a bearer token per request).
  app.route('/v1/hooks/registry', registryHookRoutes(deps));
  // Authenticated by Slack's request signature (Slack cannot sign with SigV4 or hold a token).
  app.route('/v1/chatops/slack', slackChatopsRoutes(deps));

  app.use('/v1/*', async (c, next) => {
    if (SELF_AUTHENTICATED.has(c.req.path)) return next();
    const caller = await deps.authenticator.authenticate(c);
    if (!caller) {
      throw new ApiProblem(
        401,
        'unauthenticated',
        'no valid credentials: send a SigV4-signed request (AWS) or Authorization: Bearer <token> (local mode)',
        {},
        { 'www-authenticate': deps.authenticator.challenge ?? 'Bearer realm="ferry"' },
      );
    }
    c.set('caller', caller);
    await next();
  });
  const limitBody = bodyLimit({
    maxSize: deps.config.maxBodyBytes,
    onError: () => {
      throw new ApiProblem(
        413,
        'payload-too-large',
        `request bodies are limited to ${deps.config.maxBodyBytes} bytes`,
      );
    },
  });
  // GET and HEAD carry no body to read, and asking for one makes @hono/node-server build a
  // full fetch Request per call: half the cost of a GET locally (profiled by `npm run bench`).
  app.use('/v1/*', (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next),
  );
  app.use('/v1/*', async (c, next) => {
    if (
      // Only JSON is parsed: anything else would be read by no validator and could smuggle past one.
      ['POST', 'PUT', 'PATCH'].includes(c.req.method) &&
      !READS_NO_BODY.test(c.req.path) &&
      !/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')
    ) {
      throw new ApiProblem(415, 'unsupported-media-type', 'send the body as application/json');
    }
    await next();
  });

  app.route('/v1/deployments', deploymentRoutes(deps));
  app.route('/v1/deployments', buildLogRoutes(deps));
  app.route('/v1/functions', functionRoutes(deps));
  app.route('/v1/functions', functionLogRoutes(deps));
  app.route('/v1/rules', ruleRoutes(deps));
  app.route('/v1/slack-users', slackUserRoutes(deps));
  app.route('/v1/tokens', tokenRoutes(deps));
  app.route('/v1/whoami', whoamiRoutes());
  app.route('/v1/doctor', doctorRoutes(deps));
  app.route('/v1/gc', gcRoutes(deps));
  // The web page: HTML over the same store and authorization, outside /v1 (no JSON middleware).
  app.route('/', webRoutes(deps));
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
  app.onError((error, c) => problemResponse(c, toProblem(error, c, deps.logger)));
  return app;
}

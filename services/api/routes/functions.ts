import { createRoute, type z } from '@hono/zod-openapi';
import { functionOverviews } from '../../app/function-overview.ts';
import { historyFor, settingsFor } from '../../app/reads.ts';
import { requestRollback } from '../../app/rollback.ts';
import { queuedFor } from '../../app/rollout-queue.ts';
import { putSettings as storeSettings } from '../../app/settings.ts';
import { functionSettingsSchema } from '../../core/settings.ts';
import type { ApiDeps } from '../deps.ts';
import { problemResponses, router } from '../env.ts';
import { deploymentLinks, functionLinks } from '../links.ts';
import {
  acceptedSchema,
  deploymentPageSchema,
  functionListSchema,
  queuedRolloutListSchema,
} from '../response-schemas.ts';
import {
  functionParamSchema,
  historyQuerySchema,
  rollbackRequestSchema,
  settingsSchema,
} from '../schemas.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const history = createRoute({
  method: 'get',
  path: '/{name}/deployments',
  summary: "A function's deployments, newest first (`cursor` from the previous page)",
  request: { params: functionParamSchema, query: historyQuerySchema },
  responses: {
    200: json(deploymentPageSchema, 'A page of history'),
    ...problemResponses([400, 401, 403, 404]),
  },
});

const rollouts = createRoute({
  method: 'get',
  path: '/{name}/rollouts',
  summary:
    "Registry pushes waiting to roll out to the function, oldest first (local mode; each starts when the function's running deployment ends)",
  request: { params: functionParamSchema },
  responses: {
    200: json(queuedRolloutListSchema, 'The queued rollouts (none where pushes are not queued)'),
    ...problemResponses([400, 401, 403, 404]),
  },
});

const getSettings = createRoute({
  method: 'get',
  path: '/{name}',
  summary: "A function's Ferry settings",
  request: { params: functionParamSchema },
  responses: {
    200: json(settingsSchema, 'The settings'),
    ...problemResponses([400, 401, 403, 404]),
  },
});

const putSettings = createRoute({
  method: 'put',
  path: '/{name}',
  summary:
    'Registers a function or replaces its settings (registering and changing `team`: admin team only)',
  request: {
    params: functionParamSchema,
    body: { content: { 'application/json': { schema: functionSettingsSchema } }, required: true },
  },
  responses: {
    200: json(settingsSchema, 'The stored settings, defaults applied'),
    ...problemResponses([400, 401, 403, 413, 415]),
  },
});

const rollback = createRoute({
  method: 'post',
  path: '/{name}/rollback',
  summary: 'Deploys the previous good release (or `to`) through the same workflow',
  request: {
    params: functionParamSchema,
    body: { content: { 'application/json': { schema: rollbackRequestSchema } }, required: true },
  },
  responses: {
    202: json(acceptedSchema, 'Accepted: a deployment with trigger kind `rollback`'),
    ...problemResponses([400, 401, 403, 404, 409, 413, 415, 503]),
  },
});

const listFunctions = createRoute({
  method: 'get',
  path: '/',
  summary:
    'The functions the caller may see (its team’s; every one for the admin team), each with its live release and latest deployment',
  responses: {
    200: json(functionListSchema, 'Registered functions, by name'),
    ...problemResponses([401]),
  },
});

/** `/v1/functions` routes. */
export function functionRoutes(deps: ApiDeps) {
  return router()
    .openapi(listFunctions, async (c) => {
      const overviews = await functionOverviews(deps.store, c.get('caller'));
      const items = overviews.map(({ name, team, alias, live, latest }) => ({
        name,
        team,
        alias,
        live: live
          ? {
              deploymentId: live.deploymentId,
              version: live.version,
              digest: live.digest,
              releasedAt: live.releasedAt,
              compressedBytes: live.compressedBytes,
              initDurationMs: live.initDurationMs,
            }
          : null,
        latest: latest
          ? {
              deploymentId: latest.id,
              status: latest.status,
              createdAt: latest.createdAt,
              reason: latest.reason ?? null,
            }
          : null,
        links: functionLinks(deps.config, name),
      }));
      return c.json({ items }, 200);
    })
    .openapi(history, async (c) => {
      const { name } = c.req.valid('param');
      const { cursor, limit } = c.req.valid('query');
      const { settings: _, ...page } = await historyFor(deps.store, c.get('caller'), name, {
        cursor,
        limit,
      });
      const items = page.items.map((d) => ({
        ...d,
        links: deploymentLinks(deps.config, d.id, name),
      }));
      return c.json({ ...page, items }, 200);
    })
    .openapi(rollouts, async (c) => {
      const { name } = c.req.valid('param');
      const queued = await queuedFor(deps.store, deps.registryHook?.queue, c.get('caller'), name);
      const items = queued.map(({ functionName: _, position: __, ...rollout }) => rollout);
      return c.json({ items }, 200);
    })
    .openapi(getSettings, async (c) => {
      const { name } = c.req.valid('param');
      return c.json(await settingsFor(deps.store, c.get('caller'), name), 200);
    })
    .openapi(putSettings, async (c) => {
      const { name } = c.req.valid('param');
      const stored = await storeSettings(deps, c.get('caller'), name, c.req.valid('json'));
      return c.json(stored, 200);
    })
    .openapi(rollback, async (c) => {
      const { name } = c.req.valid('param');
      const body = c.req.valid('json');
      const { deployment } = await requestRollback(deps, c.get('caller'), name, {
        ...(body.to ? { to: body.to } : {}),
        ...(body.reason ? { reason: body.reason } : {}),
      });
      const links = deploymentLinks(deps.config, deployment.id, name);
      c.header('location', links.self);
      return c.json({ id: deployment.id, status: deployment.status, links }, 202);
    });
}

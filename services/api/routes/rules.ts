import { createRoute, z } from '@hono/zod-openapi';
import { requireAdmin } from '../../app/ownership.ts';
import { putRule as storeRule } from '../../app/rules.ts';
import { type RolloutRule, rolloutRuleSchema } from '../../core/rules.ts';
import type { ApiDeps } from '../deps.ts';
import { problemResponses, router } from '../env.ts';
import { ApiProblem } from '../problem.ts';
import { ruleSchema } from '../response-schemas.ts';

const repositoryParam = z.object({
  repository: z
    .string()
    .min(1)
    .max(256)
    .regex(
      /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/,
      'a repository path such as team/api (URL-encode the slashes)',
    )
    .openapi({ param: { name: 'repository', in: 'path' } }),
});
const ruleResponse = {
  description: 'The rule',
  content: { 'application/json': { schema: ruleSchema } },
};

const getRule = createRoute({
  method: 'get',
  path: '/{repository}',
  summary: 'The auto-rollout rule of a repository',
  request: { params: repositoryParam },
  responses: { 200: ruleResponse, ...problemResponses([400, 401, 404]) },
});
const putRule = createRoute({
  method: 'put',
  path: '/{repository}',
  summary:
    'Sets the auto-rollout rule of a repository: pushed tags matching tagPattern deploy to functions (admin team)',
  request: {
    params: repositoryParam,
    body: { content: { 'application/json': { schema: rolloutRuleSchema } }, required: true },
  },
  responses: { 200: ruleResponse, ...problemResponses([400, 401, 403, 404, 409, 413, 415]) },
});
const deleteRule = createRoute({
  method: 'delete',
  path: '/{repository}',
  summary: 'Deletes a rule (admin team)',
  request: { params: repositoryParam },
  responses: { 204: { description: 'Deleted' }, ...problemResponses([400, 401, 403, 404]) },
});

/** `/v1/rules` routes. */
export function ruleRoutes(deps: ApiDeps) {
  const rules = () => {
    if (!deps.rules)
      throw new ApiProblem(404, 'not-found', 'auto-rollout rules are not configured on this Ferry');
    return deps.rules;
  };
  return router()
    .openapi(getRule, async (c) => {
      const { repository } = c.req.valid('param');
      const rule = await rules().getRule(repository);
      if (!rule)
        throw new ApiProblem(
          404,
          'not-found',
          `no rule for ${repository}: set one with PUT /v1/rules/${encodeURIComponent(repository)}`,
        );
      return c.json(rule, 200);
    })
    .openapi(putRule, async (c) => {
      const { repository } = c.req.valid('param');
      const rule: RolloutRule = { ...c.req.valid('json'), repository };
      const stored = await storeRule(
        { config: deps.config, rules: rules() },
        c.get('caller'),
        rule,
      );
      return c.json(stored, 200);
    })
    .openapi(deleteRule, async (c) => {
      const { repository } = c.req.valid('param');
      requireAdmin(c.get('caller'), 'managing auto-rollout rules');
      await rules().deleteRule(repository);
      return c.body(null, 204);
    });
}

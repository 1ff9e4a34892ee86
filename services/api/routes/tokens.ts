/**
 * `/v1/tokens`: local mode's bearer tokens, made, listed and revoked by the admin team. A token
 * is shown once, when it is made; after that only its id (the first 12 hex of its hash) names it.
 * On AWS callers are IAM principals signed with SigV4 and there are no tokens: the routes answer
 * 404 saying so.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { requireAdmin } from '../../app/ownership.ts';
import { hashToken, issueToken } from '../../auth/token-authenticator.ts';
import { TOKEN_ID, tokenId } from '../../core/token-id.ts';
import type { ApiDeps } from '../deps.ts';
import { problemResponses, router } from '../env.ts';
import { ApiProblem } from '../problem.ts';
import { issuedTokenSchema, tokenListSchema } from '../response-schemas.ts';

const idParam = z.object({
  id: z
    .string()
    .regex(TOKEN_ID, 'a token id: 12 hex characters, as `ferry tokens list` shows them')
    .openapi({ param: { name: 'id', in: 'path' } }),
});
// The same rule as a function's settings' `team`: a token can be made for any team that can own one.
const createBody = z.strictObject({ team: z.string().min(1).max(64) });
const listTokens = createRoute({
  method: 'get',
  path: '/',
  summary: 'Local bearer tokens: id, team, who made each and when, never the token (admin team)',
  responses: {
    200: {
      description: 'Every token, oldest first',
      content: { 'application/json': { schema: tokenListSchema } },
    },
    ...problemResponses([401, 403, 404]),
  },
});
const createToken = createRoute({
  method: 'post',
  path: '/',
  summary: 'Makes a bearer token for a team; the answer is the only time it is shown (admin team)',
  request: { body: { content: { 'application/json': { schema: createBody } }, required: true } },
  responses: {
    201: {
      description: 'The token and its facts',
      content: { 'application/json': { schema: issuedTokenSchema } },
    },
    ...problemResponses([400, 401, 403, 404, 413, 415]),
  },
});
const revokeToken = createRoute({
  method: 'delete',
  path: '/{id}',
  summary: 'Revokes a bearer token: refused from the next request on (admin team)',
  request: { params: idParam },
  responses: { 204: { description: 'Revoked' }, ...problemResponses([400, 401, 403, 404, 409]) },
});

/** `/v1/tokens` routes; without a token store (AWS) each answers 404 saying why. */
export function tokenRoutes(deps: ApiDeps) {
  const tokens = () => {
    if (!deps.tokens)
      throw new ApiProblem(
        404,
        'not-found',
        'bearer tokens exist in local mode only: on AWS callers are IAM principals (SigV4); map a principal to a team in the stack configuration (ferry:principalTeams)',
      );
    return deps.tokens;
  };
  return router()
    .openapi(listTokens, async (c) => {
      requireAdmin(c.get('caller'), 'listing tokens');
      return c.json({ items: await tokens().list() }, 200);
    })
    .openapi(createToken, async (c) => {
      const caller = c.get('caller');
      requireAdmin(caller, 'making tokens');
      const { team } = c.req.valid('json');
      const now = deps.clock.now();
      const token = await issueToken(tokens(), team, { createdBy: caller.principal, now });
      const id = tokenId(hashToken(token));
      deps.logger.info('token created', { tokenId: id, team, by: caller.principal });
      return c.json(
        { id, team, createdAt: now.toISOString(), createdBy: caller.principal, token },
        201,
      );
    })
    .openapi(revokeToken, async (c) => {
      const { id } = c.req.valid('param');
      const caller = c.get('caller');
      requireAdmin(caller, 'revoking tokens');
      // Revoking the token in hand would lock its holder out mid-sentence, maybe the last admin.
      if (caller.principal.endsWith(`:${id}`))
        throw new ApiProblem(
          409,
          'conflict',
          `token ${id} is the one this request was made with: revoke it with another admin token`,
        );
      if (!(await tokens().revoke(id)))
        throw new ApiProblem(404, 'not-found', `no token ${id}: ferry tokens list shows the ids`);
      deps.logger.info('token revoked', { tokenId: id, by: caller.principal });
      return c.body(null, 204);
    });
}

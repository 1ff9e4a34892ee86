import { createRoute } from '@hono/zod-openapi';
import { createDeployment } from '../../app/create-deployment.ts';
import { deploymentFor } from '../../app/reads.ts';
import { abortDeployment, approveDeployment } from '../../app/release-decisions.ts';
import type { ApiDeps } from '../deps.ts';
import { problemResponses, router } from '../env.ts';
import { deploymentLinks } from '../links.ts';
import { ApiProblem } from '../problem.ts';
import { acceptedSchema, deploymentSchema } from '../response-schemas.ts';
import { deploymentParamSchema, deploymentRequestSchema } from '../schemas.ts';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,128}$/;

const create = createRoute({
  method: 'post',
  path: '/',
  summary: 'Deploy an image or a source build to a function',
  description:
    'Send `Idempotency-Key` to make retries safe (scoped to your team): the same key and body answer 200 with the same deployment; the same key with another body is 422. `X-Ferry-Client: cli` records the trigger as the CLI.',
  request: {
    body: { content: { 'application/json': { schema: deploymentRequestSchema } }, required: true },
  },
  responses: {
    200: {
      description: 'An Idempotency-Key replay: the deployment made earlier',
      content: { 'application/json': { schema: acceptedSchema } },
    },
    202: {
      description: 'Accepted: recorded PENDING and the workflow started',
      content: { 'application/json': { schema: acceptedSchema } },
    },
    ...problemResponses([400, 401, 403, 404, 409, 413, 415, 422, 503]),
  },
});

const read = createRoute({
  method: 'get',
  path: '/{id}',
  summary: 'A deployment: status, steps with timings, scan and smoke reports, releases, reason',
  request: { params: deploymentParamSchema },
  responses: {
    200: {
      description: 'The deployment',
      content: { 'application/json': { schema: deploymentSchema } },
    },
    ...problemResponses([400, 401, 403, 404]),
  },
});

const approve = createRoute({
  method: 'post',
  path: '/{id}/approve',
  summary:
    "Approves a gradual release's last step: the workflow moves all traffic to the new version",
  description:
    'Only while the deployment waits for its approval (`traffic.phase` `awaiting-approval`); authorized like a deploy of the function. A repeat approve answers 202 with the same deployment (the first approver is kept). 409 `not-awaiting-approval` before the wait or after it timed out, `already-aborted`, `not-running`. Takes no body.',
  request: { params: deploymentParamSchema },
  responses: {
    202: {
      description: 'Approved: the workflow shifts the rest of the traffic (follow the deployment)',
      content: { 'application/json': { schema: deploymentSchema } },
    },
    ...problemResponses([400, 401, 403, 404, 409, 503]),
  },
});

const abort = createRoute({
  method: 'post',
  path: '/{id}/abort',
  summary: 'Aborts a running deployment: the workflow rolls it back and it ends ROLLED_BACK',
  description:
    "Recorded at once (`abort`); the deployment's current wait (a traffic step's hold, the approval) ends with it, and a wait that starts later ends on seeing it. Authorized like a deploy of the function. A repeat abort, by anyone, answers 202 with the same deployment (the first `abort` is kept, the wait is resumed again). 409 `not-running` for a deployment that ended without an abort or has not started. Takes no body.",
  request: { params: deploymentParamSchema },
  responses: {
    202: {
      description: 'Aborted: the rollback follows (follow the deployment)',
      content: { 'application/json': { schema: deploymentSchema } },
    },
    ...problemResponses([400, 401, 403, 404, 409, 503]),
  },
});

/** `/v1/deployments` routes. */
export function deploymentRoutes(deps: ApiDeps) {
  return router()
    .openapi(create, async (c) => {
      const body = c.req.valid('json');
      const caller = c.get('caller');
      const key = c.req.header('idempotency-key');
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
        throw new ApiProblem(
          400,
          'validation',
          'Idempotency-Key must be 1-128 characters of [A-Za-z0-9_.:-]',
        );
      }
      const kind = c.req.header('x-ferry-client') === 'cli' ? 'cli' : 'api';
      const { replayed, deployment } = await createDeployment(
        deps,
        caller,
        {
          functionName: body.function,
          ...(body.image ? { image: body.image } : {}),
          ...(body.source ? { source: body.source } : {}),
          ...(body.reason ? { reason: body.reason } : {}),
          ...(body.release ? { release: body.release } : {}),
        },
        { kind, actor: caller.principal },
        key,
      );
      const links = deploymentLinks(deps.config, deployment.id, deployment.functionName, {
        build: body.source !== undefined,
      });
      c.header('location', links.self);
      return c.json({ id: deployment.id, status: deployment.status, links }, replayed ? 200 : 202);
    })
    .openapi(read, async (c) => {
      const { id } = c.req.valid('param');
      const deployment = await deploymentFor(deps.store, c.get('caller'), id);
      const links = deploymentLinks(deps.config, id, deployment.functionName, {
        build: deployment.request.source !== undefined,
      });
      return c.json({ ...deployment, links }, 200);
    })
    .openapi(approve, async (c) => {
      const { id } = c.req.valid('param');
      const deployment = await approveDeployment(deps, c.get('caller'), id);
      return c.json(
        { ...deployment, links: deploymentLinks(deps.config, id, deployment.functionName) },
        202,
      );
    })
    .openapi(abort, async (c) => {
      const { id } = c.req.valid('param');
      const deployment = await abortDeployment(deps, c.get('caller'), id);
      return c.json(
        { ...deployment, links: deploymentLinks(deps.config, id, deployment.functionName) },
        202,
      );
    });
}

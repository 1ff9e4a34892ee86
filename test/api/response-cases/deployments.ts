/** `/v1/deployments`: create (with its replay, conflicts and refusals) and read. */
import { IMAGE } from '../api-world.ts';
import type { ResponseCase } from './context.ts';
import { PADDING, RICH_BUILD_ID, RICH_ID } from './fixtures.ts';

const deploy = { function: 'orders', image: IMAGE };

/** In order: the replay, the reused key and the busy function follow the first deployment. */
export const deploymentCases: ResponseCase[] = [
  // POST /v1/deployments
  {
    op: 'post /v1/deployments',
    status: 202,
    what: 'accepted',
    send: (t) =>
      t.call('payments', 'POST', '/v1/deployments', {
        body: deploy,
        headers: { 'idempotency-key': 'k1' },
      }),
  },
  {
    op: 'post /v1/deployments',
    status: 200,
    what: 'an Idempotency-Key replay',
    send: (t) =>
      t.call('payments', 'POST', '/v1/deployments', {
        body: deploy,
        headers: { 'idempotency-key': 'k1' },
      }),
  },
  {
    op: 'post /v1/deployments',
    status: 422,
    what: 'the key with another body',
    send: (t) =>
      t.call('payments', 'POST', '/v1/deployments', {
        body: { ...deploy, reason: 'other' },
        headers: { 'idempotency-key': 'k1' },
      }),
  },
  {
    op: 'post /v1/deployments',
    status: 409,
    what: 'the function busy',
    send: (t) => t.call('payments', 'POST', '/v1/deployments', { body: deploy }),
    after: (t) => t.freeLock('orders'),
  },
  {
    op: 'post /v1/deployments',
    status: 400,
    what: 'neither image nor source',
    send: (t) => t.call('payments', 'POST', '/v1/deployments', { body: { function: 'orders' } }),
  },
  {
    op: 'post /v1/deployments',
    status: 400,
    what: 'an unknown release strategy',
    send: (t) =>
      t.call('payments', 'POST', '/v1/deployments', { body: { ...deploy, release: 'Fast' } }),
  },
  {
    op: 'post /v1/deployments',
    status: 401,
    what: 'anonymous',
    send: (t) => t.call(null, 'POST', '/v1/deployments', { body: deploy }),
  },
  {
    op: 'post /v1/deployments',
    status: 403,
    what: "another team's function",
    send: (t) => t.call('search', 'POST', '/v1/deployments', { body: deploy }),
  },
  {
    op: 'post /v1/deployments',
    status: 404,
    what: 'a function not registered',
    send: (t) =>
      t.call('payments', 'POST', '/v1/deployments', { body: { ...deploy, function: 'nobody' } }),
  },
  {
    op: 'post /v1/deployments',
    status: 413,
    what: 'a body over the limit',
    send: (t) =>
      t.call('payments', 'POST', '/v1/deployments', { body: { ...deploy, reason: PADDING } }),
  },
  {
    op: 'post /v1/deployments',
    status: 415,
    what: 'not JSON',
    send: (t) =>
      t.call('payments', 'POST', '/v1/deployments', {
        body: 'function=orders',
        headers: { 'content-type': 'text/plain' },
      }),
  },
  {
    op: 'post /v1/deployments',
    status: 503,
    what: 'the workflow unavailable',
    before: (t) => t.failWorkflow(true),
    send: (t) => t.call('payments', 'POST', '/v1/deployments', { body: deploy }),
    after: (t) => t.failWorkflow(false),
  },

  // GET /v1/deployments/{id}
  {
    op: 'get /v1/deployments/{id}',
    status: 200,
    what: 'a deployment with every field',
    send: (t) => t.call('payments', 'GET', `/v1/deployments/${RICH_ID}`),
  },
  {
    op: 'get /v1/deployments/{id}',
    status: 400,
    what: 'an id too long',
    send: (t) => t.call('payments', 'GET', `/v1/deployments/d-${'X'.repeat(70)}`),
  },
  {
    op: 'get /v1/deployments/{id}',
    status: 401,
    what: 'anonymous',
    send: (t) => t.call(null, 'GET', `/v1/deployments/${RICH_ID}`),
  },
  {
    op: 'get /v1/deployments/{id}',
    status: 403,
    what: "another team's deployment",
    send: (t) => t.call('search', 'GET', `/v1/deployments/${RICH_ID}`),
  },
  {
    op: 'get /v1/deployments/{id}',
    status: 404,
    what: 'no such deployment',
    send: (t) => t.call('payments', 'GET', '/v1/deployments/d-01JDX3Q4ZJ8M2V7N5K1R9T6W3B'),
  },

  // GET /v1/deployments/{id}/build-log
  {
    op: 'get /v1/deployments/{id}/build-log',
    status: 200,
    what: 'the last lines of the build log',
    before: async (t) => {
      t.world.buildLogs.start(RICH_BUILD_ID);
      t.world.buildLogs.write(RICH_BUILD_ID, ['STEP 1/2: FROM base', 'STEP 2/2: RUN make']);
    },
    send: (t) => t.call('payments', 'GET', `/v1/deployments/${RICH_ID}/build-log?tail=10`),
  },
  {
    op: 'get /v1/deployments/{id}/build-log',
    status: 400,
    what: 'a tail and a cursor',
    send: (t) => t.call('payments', 'GET', `/v1/deployments/${RICH_ID}/build-log?tail=10&cursor=3`),
  },
  {
    op: 'get /v1/deployments/{id}/build-log',
    status: 401,
    what: 'anonymous',
    send: (t) => t.call(null, 'GET', `/v1/deployments/${RICH_ID}/build-log`),
  },
  {
    op: 'get /v1/deployments/{id}/build-log',
    status: 403,
    what: "another team's deployment",
    send: (t) => t.call('search', 'GET', `/v1/deployments/${RICH_ID}/build-log`),
  },
  {
    op: 'get /v1/deployments/{id}/build-log',
    status: 404,
    what: 'a deployment that does not exist',
    send: (t) =>
      t.call('payments', 'GET', '/v1/deployments/d-01JDX3Q4ZJ8M2V7N5K1R9T6W3Z/build-log'),
  },
];

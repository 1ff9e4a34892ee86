/** `/v1/functions`: the index, history, settings and rollback. */
import type { ResponseCase } from './context.ts';
import { PADDING, RICH_ID } from './fixtures.ts';

/** Each case leaves `orders` unlocked and the workflow working, as it found them. */
export const functionCases: ResponseCase[] = [
  // GET /v1/functions
  {
    op: 'get /v1/functions',
    status: 200,
    what: 'every function (one live, one never deployed)',
    send: (t) => t.call('platform', 'GET', '/v1/functions'),
  },
  {
    op: 'get /v1/functions',
    status: 401,
    what: 'anonymous',
    send: (t) => t.call(null, 'GET', '/v1/functions'),
  },

  // GET /v1/functions/{name}/deployments
  {
    op: 'get /v1/functions/{name}/deployments',
    status: 200,
    what: 'a page with a cursor',
    send: (t) => t.call('payments', 'GET', '/v1/functions/orders/deployments?limit=1'),
  },
  {
    op: 'get /v1/functions/{name}/deployments',
    status: 400,
    what: 'a tampered cursor',
    send: (t) => t.call('payments', 'GET', '/v1/functions/orders/deployments?cursor=garbage'),
  },
  {
    op: 'get /v1/functions/{name}/deployments',
    status: 401,
    what: 'anonymous',
    send: (t) => t.call(null, 'GET', '/v1/functions/orders/deployments'),
  },
  {
    op: 'get /v1/functions/{name}/deployments',
    status: 403,
    what: "another team's function",
    send: (t) => t.call('search', 'GET', '/v1/functions/orders/deployments'),
  },
  {
    op: 'get /v1/functions/{name}/deployments',
    status: 404,
    what: 'a function not registered',
    send: (t) => t.call('platform', 'GET', '/v1/functions/nobody/deployments'),
  },

  // GET /v1/functions/{name}/rollouts
  {
    op: 'get /v1/functions/{name}/rollouts',
    status: 200,
    what: 'a push waiting for the function',
    before: async (t) => {
      await t.world.rollouts.enqueue({
        functionName: 'orders',
        eventId: 'evt-queued',
        repository: 'team/orders',
        tag: 'release-7',
        digest: `sha256:${'e'.repeat(64)}`,
        imageRef: `127.0.0.1:5000/team/orders@sha256:${'e'.repeat(64)}`,
        queuedAt: '2026-11-28T12:00:00.000Z',
        position: 0,
      });
    },
    send: (t) => t.call('payments', 'GET', '/v1/functions/orders/rollouts'),
    after: (t) => t.world.rollouts.settle('orders', 'evt-queued', 'refused'),
  },
  {
    op: 'get /v1/functions/{name}/rollouts',
    status: 400,
    what: 'a name Lambda refuses',
    send: (t) => t.call('payments', 'GET', '/v1/functions/not%20a%20name/rollouts'),
  },
  {
    op: 'get /v1/functions/{name}/rollouts',
    status: 401,
    what: 'anonymous',
    send: (t) => t.call(null, 'GET', '/v1/functions/orders/rollouts'),
  },
  {
    op: 'get /v1/functions/{name}/rollouts',
    status: 403,
    what: "another team's function",
    send: (t) => t.call('search', 'GET', '/v1/functions/orders/rollouts'),
  },
  {
    op: 'get /v1/functions/{name}/rollouts',
    status: 404,
    what: 'a function not registered',
    send: (t) => t.call('platform', 'GET', '/v1/functions/nobody/rollouts'),
  },

  // GET /v1/functions/{name}/logs
  {
    op: 'get /v1/functions/{name}/logs',
    status: 200,
    what: 'a page of log lines',
    before: async (t) => {
      t.world.functionLogs.write('orders', new Date(Date.now() - 60_000), [
        { version: '3', requestId: 'req-1', message: 'START RequestId: req-1 Version: 3' },
        { version: '3', message: 'init output' },
      ]);
    },
    send: (t) => t.call('payments', 'GET', '/v1/functions/orders/logs?version=3&since=10m'),
  },
  {
    op: 'get /v1/functions/{name}/logs',
    status: 400,
    what: 'a since that is no time',
    send: (t) => t.call('payments', 'GET', '/v1/functions/orders/logs?since=yesterday'),
  },
  {
    op: 'get /v1/functions/{name}/logs',
    status: 401,
    what: 'anonymous',
    send: (t) => t.call(null, 'GET', '/v1/functions/orders/logs'),
  },
  {
    op: 'get /v1/functions/{name}/logs',
    status: 403,
    what: "another team's function",
    send: (t) => t.call('search', 'GET', '/v1/functions/orders/logs'),
  },
  {
    op: 'get /v1/functions/{name}/logs',
    status: 404,
    what: 'a function not registered',
    send: (t) => t.call('platform', 'GET', '/v1/functions/nobody/logs'),
  },

  // GET /v1/functions/{name}
  {
    op: 'get /v1/functions/{name}',
    status: 200,
    what: 'the settings',
    send: (t) => t.call('payments', 'GET', '/v1/functions/orders'),
  },
  {
    op: 'get /v1/functions/{name}',
    status: 400,
    what: 'a name Lambda refuses',
    send: (t) => t.call('payments', 'GET', '/v1/functions/not%20a%20name'),
  },
  {
    op: 'get /v1/functions/{name}',
    status: 401,
    what: 'anonymous',
    send: (t) => t.call(null, 'GET', '/v1/functions/orders'),
  },
  {
    op: 'get /v1/functions/{name}',
    status: 403,
    what: "another team's function",
    send: (t) => t.call('search', 'GET', '/v1/functions/orders'),
  },
  {
    op: 'get /v1/functions/{name}',
    status: 404,
    what: 'a function not registered',
    send: (t) => t.call('platform', 'GET', '/v1/functions/nobody'),
  },

  // PUT /v1/functions/{name}
  {
    op: 'put /v1/functions/{name}',
    status: 200,
    what: 'settings replaced, defaults applied',
    send: (t) =>
      t.call('payments', 'PUT', '/v1/functions/orders', {
        // A release strategy by name: the answer holds its explicit form.
        body: {
          team: 'payments',
          notifyChannel: 'orders-deploys',
          release: 'Canary10Percent5Minutes',
          approval: { required: true },
          provisionedConcurrency: 2,
        },
      }),
  },
  {
    op: 'put /v1/functions/{name}',
    status: 400,
    what: 'an unknown field',
    send: (t) =>
      t.call('payments', 'PUT', '/v1/functions/orders', {
        body: { team: 'payments', colour: 'red' },
      }),
  },
  {
    op: 'put /v1/functions/{name}',
    status: 401,
    what: 'anonymous',
    send: (t) => t.call(null, 'PUT', '/v1/functions/orders', { body: { team: 'payments' } }),
  },
  {
    op: 'put /v1/functions/{name}',
    status: 403,
    what: 'moving a function to another team (admin only)',
    send: (t) => t.call('payments', 'PUT', '/v1/functions/orders', { body: { team: 'search' } }),
  },
  {
    op: 'put /v1/functions/{name}',
    status: 413,
    what: 'a body over the limit',
    send: (t) =>
      t.call('payments', 'PUT', '/v1/functions/orders', {
        body: { team: 'payments', padding: PADDING },
      }),
  },
  {
    op: 'put /v1/functions/{name}',
    status: 415,
    what: 'not JSON',
    send: (t) =>
      t.call('payments', 'PUT', '/v1/functions/orders', {
        body: 'team=payments',
        headers: { 'content-type': 'text/plain' },
      }),
  },

  // POST /v1/functions/{name}/rollback
  {
    op: 'post /v1/functions/{name}/rollback',
    status: 202,
    what: 'back to the earlier release',
    send: (t) =>
      t.call('payments', 'POST', '/v1/functions/orders/rollback', { body: { to: RICH_ID } }),
    after: (t) => t.freeLock('orders'),
  },
  {
    op: 'post /v1/functions/{name}/rollback',
    status: 400,
    what: 'a `to` that is no deployment id',
    send: (t) =>
      t.call('payments', 'POST', '/v1/functions/orders/rollback', { body: { to: 'yesterday' } }),
  },
  {
    op: 'post /v1/functions/{name}/rollback',
    status: 401,
    what: 'anonymous',
    send: (t) => t.call(null, 'POST', '/v1/functions/orders/rollback', { body: {} }),
  },
  {
    op: 'post /v1/functions/{name}/rollback',
    status: 403,
    what: "another team's function",
    send: (t) => t.call('search', 'POST', '/v1/functions/orders/rollback', { body: {} }),
  },
  {
    op: 'post /v1/functions/{name}/rollback',
    status: 404,
    what: 'no such deployment to go back to',
    send: (t) =>
      t.call('payments', 'POST', '/v1/functions/orders/rollback', {
        body: { to: 'd-01JDX3Q4ZJ8M2V7N5K1R9T6W3B' },
      }),
  },
  {
    op: 'post /v1/functions/{name}/rollback',
    status: 409,
    what: 'nothing to roll back to',
    send: (t) => t.call('payments', 'POST', '/v1/functions/ledger/rollback', { body: {} }),
  },
  {
    op: 'post /v1/functions/{name}/rollback',
    status: 413,
    what: 'a body over the limit',
    send: (t) =>
      t.call('payments', 'POST', '/v1/functions/orders/rollback', { body: { reason: PADDING } }),
  },
  {
    op: 'post /v1/functions/{name}/rollback',
    status: 415,
    what: 'not JSON',
    send: (t) =>
      t.call('payments', 'POST', '/v1/functions/orders/rollback', {
        body: 'to=x',
        headers: { 'content-type': 'text/plain' },
      }),
  },
  {
    op: 'post /v1/functions/{name}/rollback',
    status: 503,
    what: 'the workflow unavailable',
    before: (t) => t.failWorkflow(true),
    send: (t) =>
      t.call('payments', 'POST', '/v1/functions/orders/rollback', { body: { to: RICH_ID } }),
    after: (t) => t.failWorkflow(false),
  },
];

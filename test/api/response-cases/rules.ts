/** `/v1/rules/{repository}`: set, read, delete. */
import type { ResponseCase } from './context.ts';
import { PADDING } from './fixtures.ts';

const rule = { tagPattern: 'release-*', functions: ['orders'], enabled: true };

/** In order: the rule the first case sets is read and then deleted. */
export const ruleCases: ResponseCase[] = [
  {
    op: 'put /v1/rules/{repository}',
    status: 200,
    what: 'a rule set',
    send: (t) => t.call('platform', 'PUT', '/v1/rules/team%2Forders', { body: rule }),
  },
  {
    op: 'put /v1/rules/{repository}',
    status: 400,
    what: 'a rule without functions',
    send: (t) =>
      t.call('platform', 'PUT', '/v1/rules/team%2Forders', { body: { ...rule, functions: [] } }),
  },
  {
    op: 'put /v1/rules/{repository}',
    status: 401,
    what: 'anonymous',
    send: (t) => t.call(null, 'PUT', '/v1/rules/team%2Forders', { body: rule }),
  },
  {
    op: 'put /v1/rules/{repository}',
    status: 403,
    what: 'not the admin team',
    send: (t) => t.call('payments', 'PUT', '/v1/rules/team%2Forders', { body: rule }),
  },
  {
    op: 'put /v1/rules/{repository}',
    status: 404,
    what: 'rules not configured',
    send: (t) => t.call('platform', 'PUT', '/v1/rules/team%2Forders', { body: rule, app: 'bare' }),
  },
  {
    op: 'put /v1/rules/{repository}',
    status: 409,
    what: 'a repository whose pushes never reach Ferry',
    send: (t) =>
      t.call('platform', 'PUT', '/v1/rules/team%2Fsearch', { body: rule, app: 'watched' }),
  },
  {
    op: 'put /v1/rules/{repository}',
    status: 413,
    what: 'a body over the limit',
    send: (t) =>
      t.call('platform', 'PUT', '/v1/rules/team%2Forders', {
        body: { ...rule, padding: PADDING },
      }),
  },
  {
    op: 'put /v1/rules/{repository}',
    status: 415,
    what: 'not JSON',
    send: (t) =>
      t.call('platform', 'PUT', '/v1/rules/team%2Forders', {
        body: 'x',
        headers: { 'content-type': 'text/plain' },
      }),
  },
  {
    op: 'get /v1/rules/{repository}',
    status: 200,
    what: 'the rule',
    send: (t) => t.call('search', 'GET', '/v1/rules/team%2Forders'),
  },
  {
    op: 'get /v1/rules/{repository}',
    status: 400,
    what: 'not a repository path',
    send: (t) => t.call('search', 'GET', '/v1/rules/Team%2F..'),
  },
  {
    op: 'get /v1/rules/{repository}',
    status: 401,
    what: 'anonymous',
    send: (t) => t.call(null, 'GET', '/v1/rules/team%2Forders'),
  },
  {
    op: 'get /v1/rules/{repository}',
    status: 404,
    what: 'no rule',
    send: (t) => t.call('search', 'GET', '/v1/rules/team%2Fnone'),
  },
  {
    op: 'delete /v1/rules/{repository}',
    status: 400,
    what: 'not a repository path',
    send: (t) => t.call('platform', 'DELETE', '/v1/rules/Team%2F..'),
  },
  {
    op: 'delete /v1/rules/{repository}',
    status: 401,
    what: 'anonymous',
    send: (t) => t.call(null, 'DELETE', '/v1/rules/team%2Forders'),
  },
  {
    op: 'delete /v1/rules/{repository}',
    status: 403,
    what: 'not the admin team',
    send: (t) => t.call('payments', 'DELETE', '/v1/rules/team%2Forders'),
  },
  {
    op: 'delete /v1/rules/{repository}',
    status: 404,
    what: 'rules not configured',
    send: (t) => t.call('platform', 'DELETE', '/v1/rules/team%2Forders', { app: 'bare' }),
  },
  {
    op: 'delete /v1/rules/{repository}',
    status: 204,
    what: 'deleted',
    send: (t) => t.call('platform', 'DELETE', '/v1/rules/team%2Forders'),
  },
];

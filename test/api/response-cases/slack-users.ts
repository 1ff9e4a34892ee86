/** `/v1/slack-users`: link, list, unlink. */
import type { ResponseCase } from './context.ts';
import { PADDING } from './fixtures.ts';

/** In order: the user the first case links is listed and then unlinked. */
export const slackUserCases: ResponseCase[] = [
  {
    op: 'put /v1/slack-users/{userId}',
    status: 200,
    what: 'a user linked',
    send: (t) => t.call('platform', 'PUT', '/v1/slack-users/U0NEW', { body: { team: 'search' } }),
  },
  {
    op: 'put /v1/slack-users/{userId}',
    status: 400,
    what: 'an empty team',
    send: (t) => t.call('platform', 'PUT', '/v1/slack-users/U0NEW', { body: { team: '' } }),
  },
  {
    op: 'put /v1/slack-users/{userId}',
    status: 401,
    what: 'anonymous',
    send: (t) => t.call(null, 'PUT', '/v1/slack-users/U0NEW', { body: { team: 'search' } }),
  },
  {
    op: 'put /v1/slack-users/{userId}',
    status: 403,
    what: 'not the admin team',
    send: (t) => t.call('payments', 'PUT', '/v1/slack-users/U0NEW', { body: { team: 'payments' } }),
  },
  {
    op: 'put /v1/slack-users/{userId}',
    status: 404,
    what: 'links not configured',
    send: (t) =>
      t.call('platform', 'PUT', '/v1/slack-users/U0NEW', { body: { team: 'search' }, app: 'bare' }),
  },
  {
    op: 'put /v1/slack-users/{userId}',
    status: 409,
    what: "a user of the stack's configuration",
    send: (t) => t.call('platform', 'PUT', '/v1/slack-users/U0PAY', { body: { team: 'search' } }),
  },
  {
    op: 'put /v1/slack-users/{userId}',
    status: 413,
    what: 'a body over the limit',
    send: (t) => t.call('platform', 'PUT', '/v1/slack-users/U0NEW', { body: { team: PADDING } }),
  },
  {
    op: 'put /v1/slack-users/{userId}',
    status: 415,
    what: 'not JSON',
    send: (t) =>
      t.call('platform', 'PUT', '/v1/slack-users/U0NEW', {
        body: 'team=search',
        headers: { 'content-type': 'text/plain' },
      }),
  },
  {
    op: 'get /v1/slack-users',
    status: 200,
    what: 'configured and linked users',
    send: (t) => t.call('platform', 'GET', '/v1/slack-users'),
  },
  {
    op: 'get /v1/slack-users',
    status: 401,
    what: 'anonymous',
    send: (t) => t.call(null, 'GET', '/v1/slack-users'),
  },
  {
    op: 'get /v1/slack-users',
    status: 403,
    what: 'not the admin team',
    send: (t) => t.call('payments', 'GET', '/v1/slack-users'),
  },
  {
    op: 'get /v1/slack-users',
    status: 404,
    what: 'links not configured',
    send: (t) => t.call('platform', 'GET', '/v1/slack-users', { app: 'bare' }),
  },
  {
    op: 'delete /v1/slack-users/{userId}',
    status: 400,
    what: 'not a Slack user id',
    send: (t) => t.call('platform', 'DELETE', '/v1/slack-users/alice'),
  },
  {
    op: 'delete /v1/slack-users/{userId}',
    status: 401,
    what: 'anonymous',
    send: (t) => t.call(null, 'DELETE', '/v1/slack-users/U0NEW'),
  },
  {
    op: 'delete /v1/slack-users/{userId}',
    status: 403,
    what: 'not the admin team',
    send: (t) => t.call('payments', 'DELETE', '/v1/slack-users/U0NEW'),
  },
  {
    op: 'delete /v1/slack-users/{userId}',
    status: 404,
    what: 'links not configured',
    send: (t) => t.call('platform', 'DELETE', '/v1/slack-users/U0NEW', { app: 'bare' }),
  },
  {
    op: 'delete /v1/slack-users/{userId}',
    status: 409,
    what: "a user of the stack's configuration",
    send: (t) => t.call('platform', 'DELETE', '/v1/slack-users/U0PAY'),
  },
  {
    op: 'delete /v1/slack-users/{userId}',
    status: 204,
    what: 'unlinked',
    send: (t) => t.call('platform', 'DELETE', '/v1/slack-users/U0NEW'),
  },
];

/** `POST /v1/gc`: what goes (or would go), for the admin team only. */
import type { ResponseCase } from './context.ts';
import { PADDING } from './fixtures.ts';

export const gcCases: ResponseCase[] = [
  {
    op: 'post /v1/gc',
    status: 200,
    what: 'a dry run',
    send: (t) => t.call('platform', 'POST', '/v1/gc', { body: { dryRun: true } }),
  },
  {
    op: 'post /v1/gc',
    status: 400,
    what: 'a minimum age below the floor',
    send: (t) =>
      t.call('platform', 'POST', '/v1/gc', { body: { dryRun: true, minimumAgeSeconds: 60 } }),
  },
  {
    op: 'post /v1/gc',
    status: 401,
    what: 'anonymous',
    send: (t) => t.call(null, 'POST', '/v1/gc', { body: {} }),
  },
  {
    op: 'post /v1/gc',
    status: 403,
    what: 'a team that is not the admin team',
    send: (t) => t.call('payments', 'POST', '/v1/gc', { body: { dryRun: true } }),
  },
  {
    op: 'post /v1/gc',
    status: 404,
    what: 'a Ferry without gc configured',
    send: (t) => t.call('platform', 'POST', '/v1/gc', { body: { dryRun: true }, app: 'bare' }),
  },
  {
    op: 'post /v1/gc',
    status: 413,
    what: 'a body over the limit',
    send: (t) => t.call('platform', 'POST', '/v1/gc', { body: { padding: PADDING } }),
  },
  {
    op: 'post /v1/gc',
    status: 415,
    what: 'a body that is not JSON',
    send: (t) =>
      t.call('platform', 'POST', '/v1/gc', {
        body: 'dryRun=true',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
  },
];

/** `/v1/deployments/{id}/approve` and `/abort`, over deployments the case world put in a canary's waits. */
import type { ResponseCase } from './context.ts';
import { AWAITING_ID, FLAKY_ID, HOLDING_ID, RICH_ID } from './fixtures.ts';

const UNKNOWN = 'd-01JDX3Q4ZJ8M2V7N5K1R9T6W3Z';
const TOO_LONG = `d-${'X'.repeat(70)}`;

const decide = (verb: 'approve' | 'abort'): ResponseCase[] => {
  const op = `post /v1/deployments/{id}/${verb}`;
  const path = (id: string) => `/v1/deployments/${id}/${verb}`;
  return [
    {
      op,
      status: 400,
      what: 'an id too long',
      send: (t) => t.call('payments', 'POST', path(TOO_LONG)),
    },
    {
      op,
      status: 401,
      what: 'anonymous',
      send: (t) => t.call(null, 'POST', path(HOLDING_ID)),
    },
    {
      op,
      status: 403,
      what: "another team's deployment",
      send: (t) => t.call('search', 'POST', path(AWAITING_ID)),
    },
    {
      op,
      status: 404,
      what: 'no such deployment',
      send: (t) => t.call('payments', 'POST', path(UNKNOWN)),
    },
    {
      op,
      status: 503,
      what: 'the workflow callback unavailable',
      before: (t) => t.failNextCallback(),
      send: (t) => t.call('payments', 'POST', path(FLAKY_ID)),
    },
  ];
};

/** Approve first (it needs the approval wait open), then abort. */
export const releaseDecisionCases: ResponseCase[] = [
  ...decide('approve'),
  {
    op: 'post /v1/deployments/{id}/approve',
    status: 202,
    what: 'the approval wait resumed, without a body or content type',
    send: (t) => t.call('payments', 'POST', `/v1/deployments/${AWAITING_ID}/approve`),
  },
  {
    op: 'post /v1/deployments/{id}/approve',
    status: 409,
    what: 'a deployment holding a step, not waiting for approval',
    send: (t) => t.call('payments', 'POST', `/v1/deployments/${HOLDING_ID}/approve`),
  },
  ...decide('abort'),
  {
    op: 'post /v1/deployments/{id}/abort',
    status: 202,
    what: 'the step hold resumed with the abort',
    send: (t) => t.call('payments', 'POST', `/v1/deployments/${HOLDING_ID}/abort`),
  },
  {
    op: 'post /v1/deployments/{id}/abort',
    status: 202,
    what: 'a repeat abort by the admin team answers the same deployment',
    send: (t) =>
      t.call('platform', 'POST', `/v1/deployments/${HOLDING_ID}/abort`, {
        body: {},
      }),
  },
  {
    op: 'post /v1/deployments/{id}/abort',
    status: 409,
    what: 'a deployment that ended',
    send: (t) => t.call('payments', 'POST', `/v1/deployments/${RICH_ID}/abort`),
  },
];

/** `/v1/whoami` and `/v1/doctor`: who the caller is, and what a first deployment needs. */
import type { ResponseCase } from './context.ts';

export const doctorCases: ResponseCase[] = [
  {
    op: 'get /v1/whoami',
    status: 200,
    what: 'the caller',
    send: (t) => t.call('payments', 'GET', '/v1/whoami'),
  },
  {
    op: 'get /v1/whoami',
    status: 401,
    what: 'anonymous',
    send: (t) => t.call(null, 'GET', '/v1/whoami'),
  },
  {
    op: 'get /v1/doctor',
    status: 200,
    what: "a function's checks (one failing, with its fix)",
    send: (t) => t.call('payments', 'GET', '/v1/doctor?function=orders'),
  },
  {
    op: 'get /v1/doctor',
    status: 400,
    what: 'a function name Lambda would refuse',
    send: (t) => t.call('payments', 'GET', '/v1/doctor?function=not%20a%20name'),
  },
  {
    op: 'get /v1/doctor',
    status: 401,
    what: 'anonymous',
    send: (t) => t.call(null, 'GET', '/v1/doctor'),
  },
  {
    op: 'get /v1/doctor',
    status: 403,
    what: "another team's function",
    send: (t) => t.call('search', 'GET', '/v1/doctor?function=orders'),
  },
];

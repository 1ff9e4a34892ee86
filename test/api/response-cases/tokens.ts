/** `/v1/tokens`: make, list, revoke local bearer tokens; absent on AWS (`bare`: no token store). */
import { hashToken, issueToken } from '../../../services/auth/token-authenticator.ts';
import { tokenId } from '../../../services/core/token-id.ts';
import type { CaseContext, ResponseCase } from './context.ts';
import { PADDING } from './fixtures.ts';

/** The id of a fresh token of team search, for a case to revoke. */
let spare = '';
const makeSpare = async (t: CaseContext) => {
  spare = tokenId(hashToken(await issueToken(t.world.tokens, 'search', { createdBy: 'test' })));
};
const platformId = (t: CaseContext) => tokenId(hashToken(t.world.token.platform));

export const tokenCases: ResponseCase[] = [
  {
    op: 'post /v1/tokens',
    status: 201,
    what: 'a token made',
    send: (t) => t.call('platform', 'POST', '/v1/tokens', { body: { team: 'search' } }),
  },
  {
    op: 'post /v1/tokens',
    status: 400,
    what: 'an empty team',
    send: (t) => t.call('platform', 'POST', '/v1/tokens', { body: { team: '' } }),
  },
  {
    op: 'post /v1/tokens',
    status: 401,
    what: 'anonymous',
    send: (t) => t.call(null, 'POST', '/v1/tokens', { body: { team: 'search' } }),
  },
  {
    op: 'post /v1/tokens',
    status: 403,
    what: 'not the admin team',
    send: (t) => t.call('payments', 'POST', '/v1/tokens', { body: { team: 'payments' } }),
  },
  {
    op: 'post /v1/tokens',
    status: 404,
    what: 'no tokens (AWS)',
    send: (t) =>
      t.call('platform', 'POST', '/v1/tokens', { body: { team: 'search' }, app: 'bare' }),
  },
  {
    op: 'post /v1/tokens',
    status: 413,
    what: 'a body over the limit',
    send: (t) => t.call('platform', 'POST', '/v1/tokens', { body: { team: PADDING } }),
  },
  {
    op: 'post /v1/tokens',
    status: 415,
    what: 'not JSON',
    send: (t) =>
      t.call('platform', 'POST', '/v1/tokens', {
        body: 'team=search',
        headers: { 'content-type': 'text/plain' },
      }),
  },
  {
    op: 'get /v1/tokens',
    status: 200,
    what: 'every token',
    send: (t) => t.call('platform', 'GET', '/v1/tokens'),
  },
  {
    op: 'get /v1/tokens',
    status: 401,
    what: 'anonymous',
    send: (t) => t.call(null, 'GET', '/v1/tokens'),
  },
  {
    op: 'get /v1/tokens',
    status: 403,
    what: 'not the admin team',
    send: (t) => t.call('search', 'GET', '/v1/tokens'),
  },
  {
    op: 'get /v1/tokens',
    status: 404,
    what: 'no tokens (AWS)',
    send: (t) => t.call('platform', 'GET', '/v1/tokens', { app: 'bare' }),
  },
  {
    op: 'delete /v1/tokens/{id}',
    status: 400,
    what: 'not a token id',
    send: (t) => t.call('platform', 'DELETE', '/v1/tokens/ferry_secret'),
  },
  {
    op: 'delete /v1/tokens/{id}',
    status: 401,
    what: 'anonymous',
    send: (t) => t.call(null, 'DELETE', '/v1/tokens/0123456789ab'),
  },
  {
    op: 'delete /v1/tokens/{id}',
    status: 403,
    what: 'not the admin team',
    send: (t) => t.call('payments', 'DELETE', '/v1/tokens/0123456789ab'),
  },
  {
    op: 'delete /v1/tokens/{id}',
    status: 404,
    what: 'an unknown id',
    send: (t) => t.call('platform', 'DELETE', '/v1/tokens/0123456789ab'),
  },
  {
    op: 'delete /v1/tokens/{id}',
    status: 409,
    what: 'the token the request was made with',
    send: (t) => t.call('platform', 'DELETE', `/v1/tokens/${platformId(t)}`),
  },
  {
    op: 'delete /v1/tokens/{id}',
    status: 204,
    what: 'revoked',
    before: makeSpare,
    send: (t) => t.call('platform', 'DELETE', `/v1/tokens/${spare}`),
  },
];

/**
 * Authorization matrix: team A (payments, owns `orders`), team B (search), admin (platform) and
 * anonymous × every route. Each cell asserts the status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken, issueToken } from '../../services/auth/token-authenticator.ts';
import { newDeploymentId } from '../../services/core/ids.ts';
import { tokenId } from '../../services/core/token-id.ts';
import { type ApiWorld, createApiWorld, IMAGE } from './api-world.ts';
import { inRelease, RICH_BUILD_ID, RICH_ID, rich } from './response-cases/fixtures.ts';

let w: ApiWorld;
let existing: string;
/** A RUNNING canary of `orders` waiting for its approval. */
const waiting = newDeploymentId();
let waits = 0;
/** A source deployment of `orders` whose build logged. */
const built = RICH_ID;

/** Puts `waiting` back in its approval wait: no decision recorded, a fresh hold. */
async function openWait(): Promise<void> {
  await w.store.update(waiting, { approval: undefined, abort: undefined });
  await w.store.putHold({
    deploymentId: waiting,
    kind: 'approval',
    token: `token-${++waits}`,
    since: new Date().toISOString(),
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
  });
}

beforeAll(async () => {
  w = await createApiWorld();
  const res = await w.call('payments', 'POST', '/v1/deployments', {
    function: 'orders',
    image: IMAGE,
  });
  existing = res.body.id as string;
  await w.store.update(existing, {
    status: 'SUCCEEDED',
    release: { version: '2', digest: `sha256:${'a'.repeat(64)}`, imageUri: IMAGE },
  });
  await w.store.releaseLock('orders', existing);
  // A newer release goes live, so `existing` is a rollback target.
  const liveImage = IMAGE.replace(/a{64}$/, 'b'.repeat(64));
  const live = await w.call('payments', 'POST', '/v1/deployments', {
    function: 'orders',
    image: liveImage,
  });
  await w.store.update(live.body.id as string, {
    status: 'SUCCEEDED',
    release: { version: '3', digest: `sha256:${'b'.repeat(64)}`, imageUri: liveImage },
  });
  await w.store.releaseLock('orders', live.body.id as string);
  await w.deps.rules?.putRule({ ...rule, repository: 'team/orders' });
  await w.store.create(inRelease(waiting, 'awaiting-approval'));
  await openWait();
  await w.store.create(rich);
  w.buildLogs.start(RICH_BUILD_ID);
  w.buildLogs.write(RICH_BUILD_ID, ['STEP 1/1: FROM base']);
  revocable = await spareTokenId();
});
afterAll(() => w.close());

type Who = 'payments' | 'search' | 'platform' | null;
interface Cell {
  route: string;
  send: (as: Who) => Promise<{ status: number }>;
  expect: Record<'payments' | 'search' | 'platform' | 'anonymous', number>;
  /** Undo what a successful call changed, so every caller meets the same state. */
  reset?: () => Promise<void>;
}

/** A token made for the revoke cell to revoke, made again after each revoke. */
let revocable = '';
const spareTokenId = async () =>
  tokenId(hashToken(await issueToken(w.tokens, 'search', { createdBy: 'test' })));

const settings = { team: 'payments', alias: 'live' };
const rule = { tagPattern: 'release-*', functions: ['orders'], enabled: true };
const freeLock = async () => {
  const lock = await w.store.getLock('orders');
  if (lock) await w.store.releaseLock('orders', lock.owner);
};

const cells: Cell[] = [
  {
    route: 'GET /healthz',
    send: (as) => w.call(as, 'GET', '/healthz'),
    expect: { payments: 200, search: 200, platform: 200, anonymous: 200 },
  },
  {
    route: 'GET /v1/openapi.json',
    send: (as) => w.call(as, 'GET', '/v1/openapi.json'),
    expect: { payments: 200, search: 200, platform: 200, anonymous: 401 },
  },
  {
    route: 'POST /v1/deployments',
    send: (as) => w.call(as, 'POST', '/v1/deployments', { function: 'orders', image: IMAGE }),
    expect: { payments: 202, search: 403, platform: 202, anonymous: 401 },
    reset: freeLock,
  },
  {
    route: 'GET /v1/deployments/{id}',
    send: (as) => w.call(as, 'GET', `/v1/deployments/${existing}`),
    expect: { payments: 200, search: 403, platform: 200, anonymous: 401 },
  },
  {
    route: 'POST /v1/deployments/{id}/approve',
    send: (as) => w.call(as, 'POST', `/v1/deployments/${waiting}/approve`),
    expect: { payments: 202, search: 403, platform: 202, anonymous: 401 },
    reset: openWait,
  },
  {
    route: 'POST /v1/deployments/{id}/abort',
    send: (as) => w.call(as, 'POST', `/v1/deployments/${waiting}/abort`),
    expect: { payments: 202, search: 403, platform: 202, anonymous: 401 },
    reset: openWait,
  },
  {
    route: 'GET /v1/deployments/{id}/build-log',
    send: (as) => w.call(as, 'GET', `/v1/deployments/${built}/build-log`),
    expect: { payments: 200, search: 403, platform: 200, anonymous: 401 },
  },
  {
    route: 'GET /v1/functions/{name}/deployments',
    send: (as) => w.call(as, 'GET', '/v1/functions/orders/deployments'),
    expect: { payments: 200, search: 403, platform: 200, anonymous: 401 },
  },
  {
    route: 'GET /v1/functions (each team sees its own)',
    send: (as) => w.call(as, 'GET', '/v1/functions'),
    expect: { payments: 200, search: 200, platform: 200, anonymous: 401 },
  },
  {
    route: 'GET /v1/functions/{name}/rollouts',
    send: (as) => w.call(as, 'GET', '/v1/functions/orders/rollouts'),
    expect: { payments: 200, search: 403, platform: 200, anonymous: 401 },
  },
  {
    route: 'GET /v1/functions/{name}/logs',
    send: (as) => w.call(as, 'GET', '/v1/functions/orders/logs'),
    expect: { payments: 200, search: 403, platform: 200, anonymous: 401 },
  },
  {
    route: 'GET /v1/functions/{name}',
    send: (as) => w.call(as, 'GET', '/v1/functions/orders'),
    expect: { payments: 200, search: 403, platform: 200, anonymous: 401 },
  },
  {
    route: 'PUT /v1/functions/{name} (same team)',
    send: (as) => w.call(as, 'PUT', '/v1/functions/orders', settings),
    expect: { payments: 200, search: 403, platform: 200, anonymous: 401 },
  },
  {
    route: 'PUT /v1/functions/{name} (team change)',
    send: (as) => w.call(as, 'PUT', '/v1/functions/orders', { ...settings, team: 'search' }),
    expect: { payments: 403, search: 403, platform: 200, anonymous: 401 },
    reset: async () => {
      await w.call('platform', 'PUT', '/v1/functions/orders', settings);
    },
  },
  {
    route: 'PUT /v1/functions/{name} (register new)',
    send: (as) => w.call(as, 'PUT', '/v1/functions/fresh', { team: 'search' }),
    expect: { payments: 403, search: 403, platform: 200, anonymous: 401 },
  },
  {
    route: 'POST /v1/functions/{name}/rollback',
    send: (as) => w.call(as, 'POST', '/v1/functions/orders/rollback', { to: existing }),
    expect: { payments: 202, search: 403, platform: 202, anonymous: 401 },
    reset: freeLock,
  },
  {
    route: 'GET /v1/rules/{repository}',
    send: (as) => w.call(as, 'GET', '/v1/rules/team%2Forders'),
    expect: { payments: 200, search: 200, platform: 200, anonymous: 401 },
  },
  {
    route: 'PUT /v1/rules/{repository}',
    send: (as) => w.call(as, 'PUT', '/v1/rules/team%2Forders', rule),
    expect: { payments: 403, search: 403, platform: 200, anonymous: 401 },
  },
  {
    route: 'DELETE /v1/rules/{repository}',
    send: (as) => w.call(as, 'DELETE', '/v1/rules/team%2Forders'),
    expect: { payments: 403, search: 403, platform: 204, anonymous: 401 },
    reset: async () => {
      await w.deps.rules?.putRule({ ...rule, repository: 'team/orders' });
    },
  },
  {
    route: 'GET /v1/slack-users',
    send: (as) => w.call(as, 'GET', '/v1/slack-users'),
    expect: { payments: 403, search: 403, platform: 200, anonymous: 401 },
  },
  {
    route: 'PUT /v1/slack-users/{userId}',
    send: (as) => w.call(as, 'PUT', '/v1/slack-users/U0NEWBIE', { team: 'payments' }),
    expect: { payments: 403, search: 403, platform: 200, anonymous: 401 },
  },
  {
    route: 'DELETE /v1/slack-users/{userId}',
    send: (as) => w.call(as, 'DELETE', '/v1/slack-users/U0NEWBIE'),
    expect: { payments: 403, search: 403, platform: 204, anonymous: 401 },
    reset: async () => {
      await w.call('platform', 'PUT', '/v1/slack-users/U0NEWBIE', { team: 'payments' });
    },
  },
  {
    route: 'GET /v1/tokens',
    send: (as) => w.call(as, 'GET', '/v1/tokens'),
    expect: { payments: 403, search: 403, platform: 200, anonymous: 401 },
  },
  {
    route: 'POST /v1/tokens',
    send: (as) => w.call(as, 'POST', '/v1/tokens', { team: 'search' }),
    expect: { payments: 403, search: 403, platform: 201, anonymous: 401 },
  },
  {
    route: 'DELETE /v1/tokens/{id}',
    send: (as) => w.call(as, 'DELETE', `/v1/tokens/${revocable}`),
    expect: { payments: 403, search: 403, platform: 204, anonymous: 401 },
    reset: async () => {
      revocable = await spareTokenId();
    },
  },
  {
    route: 'GET /v1/whoami',
    send: (as) => w.call(as, 'GET', '/v1/whoami'),
    expect: { payments: 200, search: 200, platform: 200, anonymous: 401 },
  },
  {
    route: 'GET /v1/doctor (the stack only)',
    send: (as) => w.call(as, 'GET', '/v1/doctor'),
    expect: { payments: 200, search: 200, platform: 200, anonymous: 401 },
  },
  {
    route: 'GET /v1/doctor?function={name}',
    send: (as) => w.call(as, 'GET', '/v1/doctor?function=orders'),
    expect: { payments: 200, search: 403, platform: 200, anonymous: 401 },
  },
  {
    route: 'POST /v1/gc',
    send: (as) => w.call(as, 'POST', '/v1/gc', { dryRun: true }),
    expect: { payments: 403, search: 403, platform: 200, anonymous: 401 },
  },
  {
    route: 'POST /v1/chatops/slack (bearer, no Slack signature)',
    send: (as) => w.call(as, 'POST', '/v1/chatops/slack', 'command=%2Fferry&text=help'),
    expect: { payments: 401, search: 401, platform: 401, anonymous: 401 },
  },
  {
    route: 'POST /v1/hooks/registry (bearer, no HMAC)',
    send: (as) => w.call(as, 'POST', '/v1/hooks/registry', { events: [] }),
    expect: { payments: 401, search: 401, platform: 401, anonymous: 401 },
  },
];

describe('API: authorization matrix', () => {
  it('gives every caller exactly the access its team allows on every route', async () => {
    const table: string[] = [];
    const mismatches: string[] = [];
    for (const cell of cells) {
      const row: string[] = [];
      for (const who of ['payments', 'search', 'platform', 'anonymous'] as const) {
        const res = await cell.send(who === 'anonymous' ? null : who);
        row.push(`${who}=${res.status}`);
        if (res.status !== cell.expect[who])
          mismatches.push(`${cell.route} as ${who}: ${res.status}, expected ${cell.expect[who]}`);
        await cell.reset?.();
      }
      table.push(`${cell.route.padEnd(52)} ${row.join('  ')}`);
    }
    console.log(`authorization matrix (${cells.length} routes × 4 callers):\n${table.join('\n')}`);
    expect(mismatches).toEqual([]);
  });
});

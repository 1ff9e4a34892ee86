/**
 * Every operation of the OpenAPI document, driven through the real app (dynalite store, faked
 * workflow) to each status it declares: each actual response must have a declared status and
 * content type, and its body must validate against the declared schema (problems against
 * Problem). Fails when the document declares a status no case produces, or when the app has a
 * /v1 route the document does not list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../services/api/app.ts';
import type { Deployment } from '../../services/core/deployment.ts';
import { parseFunctionSettings } from '../../services/core/settings.ts';
import { type ApiWorld, createApiWorld, IMAGE } from './api-world.ts';
import {
  type ActualResponse,
  documentedOperations,
  documentedResponses,
  type OpenApiDocument,
  responseChecker,
} from './openapi-contract.ts';
import { send } from './send.ts';

/** Routes outside the document, each for a reason: not the deploy API clients are generated for. */
const UNDOCUMENTED = new Set([
  'get /healthz', // liveness probe
  'get /v1/openapi.json', // the document itself
  'post /v1/hooks/registry', // the local registry's signed notifications
  'post /v1/chatops/slack', // Slack's signed slash commands (form-encoded)
]);

const RICH_ID = 'd-01JDX3Q4ZJ8M2V7N5K1R9T6W3A';
const LIVE_DIGEST = `sha256:${'b'.repeat(64)}`;
const BIG = { team: 'payments', padding: 'x'.repeat(70_000) };

/** A SUCCEEDED deployment with every optional field the model has, reports' extra figures too. */
const rich: Deployment = {
  id: RICH_ID,
  functionName: 'orders',
  status: 'SUCCEEDED',
  createdAt: '2026-11-28T12:00:00.000Z',
  updatedAt: '2026-11-28T12:03:00.000Z',
  endedAt: '2026-11-28T12:03:00.000Z',
  team: 'payments',
  trigger: { kind: 'cli', actor: 'alice', eventId: 'e-1' },
  request: {
    source: {
      url: 'https://git.example.com/team/orders.git',
      ref: 'main',
      dockerfile: 'Dockerfile',
      context: '.',
      buildArgs: { NODE_ENV: 'production' },
    },
    reason: 'ship the new checkout',
  },
  steps: [],
  previous: { version: '1', digest: LIVE_DIGEST, imageUri: IMAGE },
  release: {
    version: '2',
    digest: `sha256:${'a'.repeat(64)}`,
    imageUri: IMAGE,
    repository: 'team/orders',
  },
  scan: {
    verdict: 'pass',
    reasons: [],
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    architecture: 'x86_64',
    compressedBytes: 52_428_800,
    uncompressedBytes: null,
    layerCount: 2,
    largestLayers: [
      { digest: `sha256:${'c'.repeat(64)}`, sizeBytes: 40_000_000, index: 1, fromBase: true },
      {
        digest: `sha256:${'d'.repeat(64)}`,
        sizeBytes: 12_428_800,
        index: 2,
        createdBy: 'RUN npm ci',
        fromBase: false,
      },
    ],
    budgetBytes: 262_144_000,
    liveCompressedBytes: 50_000_000,
    growthRatio: 1.049,
    maxGrowthRatio: 1.5,
    baseImage: 'public.ecr.aws/lambda/nodejs:20',
    gates: [
      {
        gate: 'size-growth',
        outcome: 'passed',
        unit: 'bytes',
        value: 52_428_800,
        live: 50_000_000,
        ratio: 1.049,
        delta: 2_428_800,
        maxRatio: 1.5,
        minDelta: null,
        summary: 'compressed size 50.0 MiB vs 47.7 MiB live (1.05×, +2.3 MiB), limit 1.5×',
      },
    ],
    hints: ['layer 2 (RUN npm ci) is 11.9 MiB'],
  },
  smoke: {
    passed: true,
    verdict: 'pass',
    version: '2',
    statusCode: 200,
    responseExcerpt: '{"ok":true}',
    initDurationMs: 180.5,
    durationMs: 3.2,
    maxMemoryUsedMb: 88,
    gates: [],
  },
  buildLogsUrl: 'https://console.aws.amazon.com/codesuite/codebuild/logs',
  reason: 'released',
  error: { name: 'None', message: 'kept for the schema' },
};

let w: ApiWorld;
let doc: OpenApiDocument;
let check: ReturnType<typeof responseChecker>;
/** The app without rules or Slack user links configured (their 404s). */
let bare: ReturnType<typeof createApp>;
const exercised = new Set<string>();

type Who = 'payments' | 'search' | 'platform' | null;

/** Sends a request as a team (or anonymously) to the world's app or the bare one. */
function call(
  as: Who,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; app?: 'bare' } = {},
) {
  return send(options.app === 'bare' ? bare : w.app, method, path, {
    ...(options.body === undefined ? {} : { body: options.body }),
    headers: { ...(as ? { authorization: `Bearer ${w.token[as]}` } : {}), ...options.headers },
  });
}

const freeLock = async (fn: string) => {
  const lock = await w.store.getLock(fn);
  if (lock) await w.store.releaseLock(fn, lock.owner);
};

interface Case {
  /** The document's operation, `get /v1/deployments/{id}`. */
  op: string;
  status: number;
  /** What the case shows, for the test name. */
  what: string;
  send: () => Promise<ActualResponse>;
  before?: () => Promise<void>;
  after?: () => Promise<void>;
}

const deploy = { function: 'orders', image: IMAGE };
const rule = { tagPattern: 'release-*', functions: ['orders'], enabled: true };
const failWorkflow = async () => {
  w.workflow.fail = true;
};
const healWorkflow = async () => {
  w.workflow.fail = false;
};

// In order: some cases rely on the state the earlier ones left (a held lock, a stored rule).
const cases: Case[] = [
  // POST /v1/deployments
  {
    op: 'post /v1/deployments',
    status: 202,
    what: 'accepted',
    send: () =>
      call('payments', 'POST', '/v1/deployments', {
        body: deploy,
        headers: { 'idempotency-key': 'k1' },
      }),
  },
  {
    op: 'post /v1/deployments',
    status: 200,
    what: 'an Idempotency-Key replay',
    send: () =>
      call('payments', 'POST', '/v1/deployments', {
        body: deploy,
        headers: { 'idempotency-key': 'k1' },
      }),
  },
  {
    op: 'post /v1/deployments',
    status: 422,
    what: 'the key with another body',
    send: () =>
      call('payments', 'POST', '/v1/deployments', {
        body: { ...deploy, reason: 'other' },
        headers: { 'idempotency-key': 'k1' },
      }),
  },
  {
    op: 'post /v1/deployments',
    status: 409,
    what: 'the function busy',
    send: () => call('payments', 'POST', '/v1/deployments', { body: deploy }),
    after: () => freeLock('orders'),
  },
  {
    op: 'post /v1/deployments',
    status: 400,
    what: 'neither image nor source',
    send: () => call('payments', 'POST', '/v1/deployments', { body: { function: 'orders' } }),
  },
  {
    op: 'post /v1/deployments',
    status: 401,
    what: 'anonymous',
    send: () => call(null, 'POST', '/v1/deployments', { body: deploy }),
  },
  {
    op: 'post /v1/deployments',
    status: 403,
    what: "another team's function",
    send: () => call('search', 'POST', '/v1/deployments', { body: deploy }),
  },
  {
    op: 'post /v1/deployments',
    status: 404,
    what: 'a function not registered',
    send: () =>
      call('payments', 'POST', '/v1/deployments', { body: { ...deploy, function: 'nobody' } }),
  },
  {
    op: 'post /v1/deployments',
    status: 413,
    what: 'a body over the limit',
    send: () =>
      call('payments', 'POST', '/v1/deployments', { body: { ...deploy, reason: BIG.padding } }),
  },
  {
    op: 'post /v1/deployments',
    status: 415,
    what: 'not JSON',
    send: () =>
      call('payments', 'POST', '/v1/deployments', {
        body: 'function=orders',
        headers: { 'content-type': 'text/plain' },
      }),
  },
  {
    op: 'post /v1/deployments',
    status: 503,
    what: 'the workflow unavailable',
    before: failWorkflow,
    send: () => call('payments', 'POST', '/v1/deployments', { body: deploy }),
    after: healWorkflow,
  },

  // GET /v1/deployments/{id}
  {
    op: 'get /v1/deployments/{id}',
    status: 200,
    what: 'a deployment with every field',
    send: () => call('payments', 'GET', `/v1/deployments/${RICH_ID}`),
  },
  {
    op: 'get /v1/deployments/{id}',
    status: 400,
    what: 'an id too long',
    send: () => call('payments', 'GET', `/v1/deployments/d-${'X'.repeat(70)}`),
  },
  {
    op: 'get /v1/deployments/{id}',
    status: 401,
    what: 'anonymous',
    send: () => call(null, 'GET', `/v1/deployments/${RICH_ID}`),
  },
  {
    op: 'get /v1/deployments/{id}',
    status: 403,
    what: "another team's deployment",
    send: () => call('search', 'GET', `/v1/deployments/${RICH_ID}`),
  },
  {
    op: 'get /v1/deployments/{id}',
    status: 404,
    what: 'no such deployment',
    send: () => call('payments', 'GET', '/v1/deployments/d-01JDX3Q4ZJ8M2V7N5K1R9T6W3B'),
  },

  // GET /v1/functions
  {
    op: 'get /v1/functions',
    status: 200,
    what: 'every function (one live, one never deployed)',
    send: () => call('platform', 'GET', '/v1/functions'),
  },
  {
    op: 'get /v1/functions',
    status: 401,
    what: 'anonymous',
    send: () => call(null, 'GET', '/v1/functions'),
  },

  // GET /v1/functions/{name}/deployments
  {
    op: 'get /v1/functions/{name}/deployments',
    status: 200,
    what: 'a page with a cursor',
    send: () => call('payments', 'GET', '/v1/functions/orders/deployments?limit=1'),
  },
  {
    op: 'get /v1/functions/{name}/deployments',
    status: 400,
    what: 'a tampered cursor',
    send: () => call('payments', 'GET', '/v1/functions/orders/deployments?cursor=garbage'),
  },
  {
    op: 'get /v1/functions/{name}/deployments',
    status: 401,
    what: 'anonymous',
    send: () => call(null, 'GET', '/v1/functions/orders/deployments'),
  },
  {
    op: 'get /v1/functions/{name}/deployments',
    status: 403,
    what: "another team's function",
    send: () => call('search', 'GET', '/v1/functions/orders/deployments'),
  },
  {
    op: 'get /v1/functions/{name}/deployments',
    status: 404,
    what: 'a function not registered',
    send: () => call('platform', 'GET', '/v1/functions/nobody/deployments'),
  },

  // GET /v1/functions/{name}
  {
    op: 'get /v1/functions/{name}',
    status: 200,
    what: 'the settings',
    send: () => call('payments', 'GET', '/v1/functions/orders'),
  },
  {
    op: 'get /v1/functions/{name}',
    status: 400,
    what: 'a name Lambda refuses',
    send: () => call('payments', 'GET', '/v1/functions/not%20a%20name'),
  },
  {
    op: 'get /v1/functions/{name}',
    status: 401,
    what: 'anonymous',
    send: () => call(null, 'GET', '/v1/functions/orders'),
  },
  {
    op: 'get /v1/functions/{name}',
    status: 403,
    what: "another team's function",
    send: () => call('search', 'GET', '/v1/functions/orders'),
  },
  {
    op: 'get /v1/functions/{name}',
    status: 404,
    what: 'a function not registered',
    send: () => call('platform', 'GET', '/v1/functions/nobody'),
  },

  // PUT /v1/functions/{name}
  {
    op: 'put /v1/functions/{name}',
    status: 200,
    what: 'settings replaced, defaults applied',
    send: () =>
      call('payments', 'PUT', '/v1/functions/orders', {
        body: { team: 'payments', notifyChannel: 'orders-deploys' },
      }),
  },
  {
    op: 'put /v1/functions/{name}',
    status: 400,
    what: 'an unknown field',
    send: () =>
      call('payments', 'PUT', '/v1/functions/orders', {
        body: { team: 'payments', colour: 'red' },
      }),
  },
  {
    op: 'put /v1/functions/{name}',
    status: 401,
    what: 'anonymous',
    send: () => call(null, 'PUT', '/v1/functions/orders', { body: { team: 'payments' } }),
  },
  {
    op: 'put /v1/functions/{name}',
    status: 403,
    what: 'moving a function to another team (admin only)',
    send: () => call('payments', 'PUT', '/v1/functions/orders', { body: { team: 'search' } }),
  },
  {
    op: 'put /v1/functions/{name}',
    status: 413,
    what: 'a body over the limit',
    send: () => call('payments', 'PUT', '/v1/functions/orders', { body: BIG }),
  },
  {
    op: 'put /v1/functions/{name}',
    status: 415,
    what: 'not JSON',
    send: () =>
      call('payments', 'PUT', '/v1/functions/orders', {
        body: 'team=payments',
        headers: { 'content-type': 'text/plain' },
      }),
  },

  // POST /v1/functions/{name}/rollback
  {
    op: 'post /v1/functions/{name}/rollback',
    status: 202,
    what: 'back to the earlier release',
    send: () =>
      call('payments', 'POST', '/v1/functions/orders/rollback', { body: { to: RICH_ID } }),
    after: () => freeLock('orders'),
  },
  {
    op: 'post /v1/functions/{name}/rollback',
    status: 400,
    what: 'a `to` that is no deployment id',
    send: () =>
      call('payments', 'POST', '/v1/functions/orders/rollback', { body: { to: 'yesterday' } }),
  },
  {
    op: 'post /v1/functions/{name}/rollback',
    status: 401,
    what: 'anonymous',
    send: () => call(null, 'POST', '/v1/functions/orders/rollback', { body: {} }),
  },
  {
    op: 'post /v1/functions/{name}/rollback',
    status: 403,
    what: "another team's function",
    send: () => call('search', 'POST', '/v1/functions/orders/rollback', { body: {} }),
  },
  {
    op: 'post /v1/functions/{name}/rollback',
    status: 404,
    what: 'no such deployment to go back to',
    send: () =>
      call('payments', 'POST', '/v1/functions/orders/rollback', {
        body: { to: 'd-01JDX3Q4ZJ8M2V7N5K1R9T6W3B' },
      }),
  },
  {
    op: 'post /v1/functions/{name}/rollback',
    status: 409,
    what: 'nothing to roll back to',
    send: () => call('payments', 'POST', '/v1/functions/ledger/rollback', { body: {} }),
  },
  {
    op: 'post /v1/functions/{name}/rollback',
    status: 413,
    what: 'a body over the limit',
    send: () =>
      call('payments', 'POST', '/v1/functions/orders/rollback', { body: { reason: BIG.padding } }),
  },
  {
    op: 'post /v1/functions/{name}/rollback',
    status: 415,
    what: 'not JSON',
    send: () =>
      call('payments', 'POST', '/v1/functions/orders/rollback', {
        body: 'to=x',
        headers: { 'content-type': 'text/plain' },
      }),
  },
  {
    op: 'post /v1/functions/{name}/rollback',
    status: 503,
    what: 'the workflow unavailable',
    before: failWorkflow,
    send: () =>
      call('payments', 'POST', '/v1/functions/orders/rollback', { body: { to: RICH_ID } }),
    after: healWorkflow,
  },

  // /v1/rules/{repository}
  {
    op: 'put /v1/rules/{repository}',
    status: 200,
    what: 'a rule set',
    send: () => call('platform', 'PUT', '/v1/rules/team%2Forders', { body: rule }),
  },
  {
    op: 'put /v1/rules/{repository}',
    status: 400,
    what: 'a rule without functions',
    send: () =>
      call('platform', 'PUT', '/v1/rules/team%2Forders', { body: { ...rule, functions: [] } }),
  },
  {
    op: 'put /v1/rules/{repository}',
    status: 401,
    what: 'anonymous',
    send: () => call(null, 'PUT', '/v1/rules/team%2Forders', { body: rule }),
  },
  {
    op: 'put /v1/rules/{repository}',
    status: 403,
    what: 'not the admin team',
    send: () => call('payments', 'PUT', '/v1/rules/team%2Forders', { body: rule }),
  },
  {
    op: 'put /v1/rules/{repository}',
    status: 404,
    what: 'rules not configured',
    send: () => call('platform', 'PUT', '/v1/rules/team%2Forders', { body: rule, app: 'bare' }),
  },
  {
    op: 'put /v1/rules/{repository}',
    status: 413,
    what: 'a body over the limit',
    send: () =>
      call('platform', 'PUT', '/v1/rules/team%2Forders', {
        body: { ...rule, padding: BIG.padding },
      }),
  },
  {
    op: 'put /v1/rules/{repository}',
    status: 415,
    what: 'not JSON',
    send: () =>
      call('platform', 'PUT', '/v1/rules/team%2Forders', {
        body: 'x',
        headers: { 'content-type': 'text/plain' },
      }),
  },
  {
    op: 'get /v1/rules/{repository}',
    status: 200,
    what: 'the rule',
    send: () => call('search', 'GET', '/v1/rules/team%2Forders'),
  },
  {
    op: 'get /v1/rules/{repository}',
    status: 400,
    what: 'not a repository path',
    send: () => call('search', 'GET', '/v1/rules/Team%2F..'),
  },
  {
    op: 'get /v1/rules/{repository}',
    status: 401,
    what: 'anonymous',
    send: () => call(null, 'GET', '/v1/rules/team%2Forders'),
  },
  {
    op: 'get /v1/rules/{repository}',
    status: 404,
    what: 'no rule',
    send: () => call('search', 'GET', '/v1/rules/team%2Fnone'),
  },
  {
    op: 'delete /v1/rules/{repository}',
    status: 400,
    what: 'not a repository path',
    send: () => call('platform', 'DELETE', '/v1/rules/Team%2F..'),
  },
  {
    op: 'delete /v1/rules/{repository}',
    status: 401,
    what: 'anonymous',
    send: () => call(null, 'DELETE', '/v1/rules/team%2Forders'),
  },
  {
    op: 'delete /v1/rules/{repository}',
    status: 403,
    what: 'not the admin team',
    send: () => call('payments', 'DELETE', '/v1/rules/team%2Forders'),
  },
  {
    op: 'delete /v1/rules/{repository}',
    status: 404,
    what: 'rules not configured',
    send: () => call('platform', 'DELETE', '/v1/rules/team%2Forders', { app: 'bare' }),
  },
  {
    op: 'delete /v1/rules/{repository}',
    status: 204,
    what: 'deleted',
    send: () => call('platform', 'DELETE', '/v1/rules/team%2Forders'),
  },

  // /v1/slack-users
  {
    op: 'put /v1/slack-users/{userId}',
    status: 200,
    what: 'a user linked',
    send: () => call('platform', 'PUT', '/v1/slack-users/U0NEW', { body: { team: 'search' } }),
  },
  {
    op: 'put /v1/slack-users/{userId}',
    status: 400,
    what: 'an empty team',
    send: () => call('platform', 'PUT', '/v1/slack-users/U0NEW', { body: { team: '' } }),
  },
  {
    op: 'put /v1/slack-users/{userId}',
    status: 401,
    what: 'anonymous',
    send: () => call(null, 'PUT', '/v1/slack-users/U0NEW', { body: { team: 'search' } }),
  },
  {
    op: 'put /v1/slack-users/{userId}',
    status: 403,
    what: 'not the admin team',
    send: () => call('payments', 'PUT', '/v1/slack-users/U0NEW', { body: { team: 'payments' } }),
  },
  {
    op: 'put /v1/slack-users/{userId}',
    status: 404,
    what: 'links not configured',
    send: () =>
      call('platform', 'PUT', '/v1/slack-users/U0NEW', { body: { team: 'search' }, app: 'bare' }),
  },
  {
    op: 'put /v1/slack-users/{userId}',
    status: 409,
    what: "a user of the stack's configuration",
    send: () => call('platform', 'PUT', '/v1/slack-users/U0PAY', { body: { team: 'search' } }),
  },
  {
    op: 'put /v1/slack-users/{userId}',
    status: 413,
    what: 'a body over the limit',
    send: () => call('platform', 'PUT', '/v1/slack-users/U0NEW', { body: { team: BIG.padding } }),
  },
  {
    op: 'put /v1/slack-users/{userId}',
    status: 415,
    what: 'not JSON',
    send: () =>
      call('platform', 'PUT', '/v1/slack-users/U0NEW', {
        body: 'team=search',
        headers: { 'content-type': 'text/plain' },
      }),
  },
  {
    op: 'get /v1/slack-users',
    status: 200,
    what: 'configured and linked users',
    send: () => call('platform', 'GET', '/v1/slack-users'),
  },
  {
    op: 'get /v1/slack-users',
    status: 401,
    what: 'anonymous',
    send: () => call(null, 'GET', '/v1/slack-users'),
  },
  {
    op: 'get /v1/slack-users',
    status: 403,
    what: 'not the admin team',
    send: () => call('payments', 'GET', '/v1/slack-users'),
  },
  {
    op: 'get /v1/slack-users',
    status: 404,
    what: 'links not configured',
    send: () => call('platform', 'GET', '/v1/slack-users', { app: 'bare' }),
  },
  {
    op: 'delete /v1/slack-users/{userId}',
    status: 400,
    what: 'not a Slack user id',
    send: () => call('platform', 'DELETE', '/v1/slack-users/alice'),
  },
  {
    op: 'delete /v1/slack-users/{userId}',
    status: 401,
    what: 'anonymous',
    send: () => call(null, 'DELETE', '/v1/slack-users/U0NEW'),
  },
  {
    op: 'delete /v1/slack-users/{userId}',
    status: 403,
    what: 'not the admin team',
    send: () => call('payments', 'DELETE', '/v1/slack-users/U0NEW'),
  },
  {
    op: 'delete /v1/slack-users/{userId}',
    status: 404,
    what: 'links not configured',
    send: () => call('platform', 'DELETE', '/v1/slack-users/U0NEW', { app: 'bare' }),
  },
  {
    op: 'delete /v1/slack-users/{userId}',
    status: 409,
    what: "a user of the stack's configuration",
    send: () => call('platform', 'DELETE', '/v1/slack-users/U0PAY'),
  },
  {
    op: 'delete /v1/slack-users/{userId}',
    status: 204,
    what: 'unlinked',
    send: () => call('platform', 'DELETE', '/v1/slack-users/U0NEW'),
  },
];

beforeAll(async () => {
  w = await createApiWorld();
  const { rules: _rules, slackUsers: _links, ...withoutCollections } = w.deps;
  bare = createApp(withoutCollections);
  doc = (await call('platform', 'GET', '/v1/openapi.json')).body as unknown as OpenApiDocument;
  check = responseChecker(doc);
  // `orders` has an older release (RICH_ID) and a newer one live; `ledger` was never deployed.
  await w.store.create(rich);
  for (const step of [
    {
      name: 'Build',
      startedAt: '2026-11-28T12:00:01.000Z',
      endedAt: '2026-11-28T12:01:00.000Z',
      outcome: 'succeeded',
      attempts: 1,
      detail: 'built',
    },
    { name: 'SmokeInvoke', startedAt: '2026-11-28T12:02:00.000Z', outcome: 'running', attempts: 2 },
  ] as const)
    await w.store.recordStep(RICH_ID, step);
  await w.store.putLive({
    functionName: 'orders',
    deploymentId: 'd-01JDX3Q4ZJ8M2V7N5K1R9T6W3C',
    version: '3',
    digest: LIVE_DIGEST,
    imageUri: IMAGE.replace(/a{64}$/, 'b'.repeat(64)),
    releasedAt: '2026-11-29T09:00:00.000Z',
    compressedBytes: 50_000_000,
    initDurationMs: 175,
  });
  await w.store.putSettings('ledger', parseFunctionSettings({ team: 'payments' }));
});
afterAll(() => w?.close());

describe('API responses against the OpenAPI document', () => {
  for (const c of cases) {
    it(`${c.op} → ${c.status}: ${c.what}`, async () => {
      await c.before?.();
      try {
        const res = await c.send();
        expect(res.status, res.text).toBe(c.status);
        expect(check(c.op, res)).toEqual([]);
        exercised.add(`${c.op} ${res.status}`);
      } finally {
        await c.after?.();
      }
    });
  }

  it('the success cases carried the fields that make the check worth something', async () => {
    const read = await call('payments', 'GET', `/v1/deployments/${RICH_ID}`);
    expect(read.body).toMatchObject({ steps: [{}, {}], scan: { gates: [{}] }, smoke: {} });
    const list = await call('platform', 'GET', '/v1/functions');
    expect(list.body.items).toEqual([
      expect.objectContaining({ name: 'ledger', live: null, latest: null }),
      expect.objectContaining({
        name: 'orders',
        live: expect.any(Object),
        latest: expect.any(Object),
      }),
    ]);
  });

  it('exercised every status of every operation the document declares', () => {
    const missing = documentedResponses(doc).filter((r) => !exercised.has(r));
    expect(missing).toEqual([]);
    console.info(
      `responses validated: ${exercised.size} (operation × status) over ${documentedOperations(doc).length} operations`,
    );
  });

  it('the document lists every /v1 route of the app but the undocumented few', () => {
    const routes = new Set(
      w.app.routes
        .filter((r) => r.method !== 'ALL' && (r.path.startsWith('/v1/') || r.path === '/healthz'))
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    const documented = documentedOperations(doc);
    expect([...routes].filter((r) => !documented.includes(r) && !UNDOCUMENTED.has(r))).toEqual([]);
    expect(documented.filter((op) => !routes.has(op))).toEqual([]);
  });
});

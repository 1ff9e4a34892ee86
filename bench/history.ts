/**
 * `npm run bench` (history part): what-is-live reads must not grow with a function's history.
 * `GET /v1/functions/{name}` and `GET /v1/functions` through the API app on dynalite, for a
 * function with 10 deployments and one with 10,000 — each the worst case for a history scan: one
 * old SUCCEEDED release followed by failed attempts. Median latency of interleaved requests.
 */

import { createStoreTable, startDynalite } from '../local/dynalite-server.ts';
import { DynamoDeploymentStore } from '../services/adapters/aws/dynamo-store.ts';
import { DynamoTokenStore } from '../services/adapters/aws/dynamo-token-store.ts';
import { createApp } from '../services/api/app.ts';
import { issueToken } from '../services/auth/token-authenticator.ts';
import type { Deployment } from '../services/core/deployment.ts';
import { liveReleaseOf } from '../services/core/live.ts';
import { parseFunctionSettings } from '../services/core/settings.ts';
import { testApiDeps } from '../test/support/api-deps.ts';
import { median } from './median.ts';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const ROUNDS = 101;
const WRITERS = 32;

/** A deployment of `fn`, the n-th of its history (older first). */
function deploymentOf(fn: string, n: number, status: Deployment['status']): Deployment {
  const at = new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();
  return {
    id: `d-${fn}-${String(n).padStart(6, '0')}`,
    functionName: fn,
    status,
    createdAt: at,
    updatedAt: at,
    endedAt: at,
    team: 'payments',
    trigger: { kind: 'api' },
    request: { image: `team/${fn}@${DIGEST}` },
    steps: [],
    ...(status === 'SUCCEEDED'
      ? { release: { version: '1', digest: DIGEST, imageUri: `team/${fn}@${DIGEST}` } }
      : { reason: 'the smoke invoke failed' }),
  };
}

/** An API app over its own table, with `fn` registered and `count` deployments in its history. */
async function appWith(db: Awaited<ReturnType<typeof startDynalite>>, fn: string, count: number) {
  const tableName = `bench-history-${count}`;
  await createStoreTable(db.client, tableName);
  const store = new DynamoDeploymentStore(db.client, { tableName, cursorSecret: 'bench-secret' });
  const tokens = new DynamoTokenStore(db.client, tableName);
  await store.putSettings(fn, parseFunctionSettings({ team: 'payments' }));
  const first = deploymentOf(fn, 0, 'SUCCEEDED');
  await store.create(first);
  const live = liveReleaseOf(first, null);
  if (live) await store.putLive(live);
  let next = 1;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < count) await store.create(deploymentOf(fn, next++, 'FAILED'));
    }),
  );
  const app = createApp(testApiDeps({ store, workflow: { start: async () => {} }, tokens }));
  const token = await issueToken(tokens, 'payments');
  return { app, token, store };
}

/** Milliseconds one GET takes through the app (status checked). */
async function timeGet(app: ReturnType<typeof createApp>, token: string, path: string) {
  const start = process.hrtime.bigint();
  const res = await app.request(path, { headers: { authorization: `Bearer ${token}` } });
  await res.text();
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Runs the history-length benchmark and returns printable lines. */
export async function benchHistory(): Promise<string[]> {
  const db = await startDynalite();
  try {
    const setupStart = Date.now();
    const short = await appWith(db, 'short', 10);
    const long = await appWith(db, 'long', 10_000);
    const setupSeconds = (Date.now() - setupStart) / 1000;
    const lines: string[] = [];
    for (const [label, path] of [
      ['GET /v1/functions/{name}', (fn: string) => `/v1/functions/${fn}`],
      ['GET /v1/functions', () => '/v1/functions'],
    ] as const) {
      const times = { short: [] as number[], long: [] as number[] };
      for (let i = 0; i < 5; i++) {
        await timeGet(short.app, short.token, path('short'));
        await timeGet(long.app, long.token, path('long'));
      }
      // Interleaved, so a slow moment of the machine hits both sides alike.
      for (let i = 0; i < ROUNDS; i++) {
        times.short.push(await timeGet(short.app, short.token, path('short')));
        times.long.push(await timeGet(long.app, long.token, path('long')));
      }
      const [s, l] = [median(times.short), median(times.long)];
      lines.push(
        `${label}: ${l.toFixed(2)} ms with 10,000 deployments in the history vs ${s.toFixed(2)} ms with 10 (medians of ${ROUNDS} interleaved, dynalite) = ${(l / s).toFixed(2)}× — target ≤ 1.2×`,
      );
    }
    lines.push(`(history setup: 10,010 records written in ${setupSeconds.toFixed(1)} s)`);
    return lines;
  } finally {
    await db.close();
  }
}

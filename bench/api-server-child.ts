/**
 * A child process serving either the Ferry API (over the in-memory store, so the figure is the
 * API layer's, not a database's) or a bare Hono route, on 127.0.0.1; prints its URL as JSON.
 */

import { Hono } from 'hono';
import { createApp } from '../services/api/app.ts';
import { startApiServer } from '../services/api/server.ts';
import { issueToken } from '../services/auth/token-authenticator.ts';
import { newDeploymentId } from '../services/core/ids.ts';
import { MemoryStore } from '../test/fakes/memory-store.ts';
import { MemoryTokenStore } from '../test/fakes/memory-tokens.ts';
import { testApiDeps } from '../test/support/api-deps.ts';

const mode = process.argv[2];
if (mode === 'bare') {
  const app = new Hono().get('/v1/deployments/:id', (c) =>
    c.json({ id: c.req.param('id'), status: 'SUCCEEDED' }),
  );
  const server = await startApiServer(app);
  console.log(JSON.stringify({ url: `${server.url}/v1/deployments/d-BARE`, token: '' }));
} else {
  const store = new MemoryStore();
  const tokens = new MemoryTokenStore();
  const id = newDeploymentId();
  const now = new Date().toISOString();
  await store.create({
    id,
    functionName: 'orders',
    status: 'SUCCEEDED',
    createdAt: now,
    updatedAt: now,
    team: 'payments',
    trigger: { kind: 'api' },
    request: { image: 'team/orders:v1' },
    steps: [],
  });
  const app = createApp(testApiDeps({ store, workflow: { start: async () => {} }, tokens }));
  const token = await issueToken(tokens, 'payments');
  const server = await startApiServer(app);
  console.log(JSON.stringify({ url: `${server.url}/v1/deployments/${id}`, token }));
}

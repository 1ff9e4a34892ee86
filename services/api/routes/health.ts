import { Hono } from 'hono';

/** `GET /healthz`: liveness, no auth, no dependencies touched. */
export function healthRoutes() {
  return new Hono().get('/', (c) => c.json({ ok: true }));
}

import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { startApiServer } from './server.ts';

const app = new Hono().get('/healthz', (c) => c.json({ ok: true }));

describe('Function: startApiServer', () => {
  it('serves the app on 127.0.0.1 and a free port, and closes', async () => {
    const server = await startApiServer({ app, port: 0, hostname: '127.0.0.1' });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/healthz`);
    expect(await res.json()).toEqual({ ok: true });
    await server.close();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('closes even while a keep-alive connection is open', async () => {
    const server = await startApiServer({ app });
    await (await fetch(`${server.url}/healthz`, { headers: { connection: 'keep-alive' } })).text();
    await expect(server.close()).resolves.toBeUndefined();
  });

  it('fails when the port is taken', async () => {
    const first = await startApiServer({ app });
    const port = Number(new URL(first.url).port);
    await expect(startApiServer({ app, port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await first.close();
  });

  it('still accepts the positional (app, port) form', async () => {
    const server = await startApiServer(app, 0);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await server.close();
  });
});

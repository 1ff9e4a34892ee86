/** GET /v1/deployments/{id}/build-log over the fake BuildLogs: tails, following, the refusals. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, createApiWorld, IMAGE } from './api-world.ts';
import { RICH_BUILD_ID, RICH_ID, rich } from './response-cases/fixtures.ts';

let w: ApiWorld;
const lines = Array.from({ length: 130 }, (_, i) => `line ${i + 1}`);

beforeAll(async () => {
  w = await createApiWorld();
  await w.store.create(rich);
  w.buildLogs.start(RICH_BUILD_ID, 'https://console.aws.amazon.com/codesuite/codebuild/b/1');
  w.buildLogs.write(RICH_BUILD_ID, lines);
});
afterAll(() => w.close());

describe('API: build log', () => {
  it('answers the last 100 lines by default, oldest first, with the build and its link', async () => {
    const res = await w.call('payments', 'GET', `/v1/deployments/${RICH_ID}/build-log`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      buildId: RICH_BUILD_ID,
      lines: lines.slice(-100),
      cursor: expect.any(String),
      link: 'https://console.aws.amazon.com/codesuite/codebuild/b/1',
    });
  });

  it('follows: a tail, then only the lines written after its cursor', async () => {
    const tail = await w.call('payments', 'GET', `/v1/deployments/${RICH_ID}/build-log?tail=2`);
    expect(tail.body.lines).toEqual(['line 129', 'line 130']);
    w.buildLogs.write(RICH_BUILD_ID, ['line 131']);

    const next = await w.call(
      'payments',
      'GET',
      `/v1/deployments/${RICH_ID}/build-log?cursor=${tail.body.cursor}&limit=10`,
    );

    expect(next.body.lines).toEqual(['line 131']);
  });

  it('links the build log from a source deployment, not from an image one', async () => {
    const source = await w.call('payments', 'GET', `/v1/deployments/${RICH_ID}`);
    expect((source.body.links as Record<string, string>).buildLog).toBe(
      `/v1/deployments/${RICH_ID}/build-log`,
    );
    const image = await w.call('payments', 'POST', '/v1/deployments', {
      function: 'orders',
      image: IMAGE,
    });
    expect(image.body.links).not.toHaveProperty('buildLog');
    await w.store.releaseLock('orders', image.body.id as string);

    const res = await w.call('payments', 'GET', `/v1/deployments/${image.body.id}/build-log`);
    expect(res.status).toBe(404);
    expect(res.body.detail).toMatch(/deployed an image: it had no build/);
  });

  it('answers no lines and no cursor while a source build has not started', async () => {
    const res = await w.call('payments', 'POST', '/v1/deployments', {
      function: 'orders',
      source: { url: 'https://git.example.com/team/orders.git' },
    });
    expect(res.body.links).toHaveProperty('buildLog');
    await w.store.releaseLock('orders', res.body.id as string);

    const log = await w.call('payments', 'GET', `/v1/deployments/${res.body.id}/build-log`);

    expect(log.status).toBe(200);
    expect(log.body).toEqual({ buildId: null, lines: [], cursor: null, link: null });
  });

  it('refuses a tail with a cursor, a tail out of range and a malformed cursor', async () => {
    const at = (query: string) =>
      w.call('payments', 'GET', `/v1/deployments/${RICH_ID}/build-log?${query}`);
    expect((await at('tail=5&cursor=1')).status).toBe(400);
    expect((await at('tail=0')).status).toBe(400);
    expect((await at('tail=1001')).status).toBe(400);
    expect((await at('cursor=not-a-cursor')).status).toBe(400);
  });
});

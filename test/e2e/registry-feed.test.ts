/**
 * Local mode's registry feed with the real parts (docker-registry, skopeo, buildah, the function
 * host, the ASL in-process): a push for a busy function is accepted and queued without holding
 * up a push to another repository, and the queued rollout survives a restart and then runs.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalFerry, startLocalFerry } from '../../local/start.ts';
import type { Deployment } from '../../services/core/deployment.ts';
import { silentLogger } from '../../services/core/logger.ts';
import { callFerry } from '../support/ferry-api.ts';
import { createExampleBuilder } from '../support/images.ts';

const run = promisify(execFile);
const home = mkdtempSync(join(tmpdir(), 'ferry-feed-'));
const TOKEN = 'ferry_feed_admin_token_0123456789';
const HELD = 'd-HELDBYANOTHERDEPLOYMENT0';
afterAll(() => rmSync(home, { recursive: true, force: true }));

const start = () => startLocalFerry({ home, port: 0, adminToken: TOKEN, logger: silentLogger });

const api = <T>(ferry: LocalFerry, method: string, path: string, body?: unknown) =>
  callFerry<T>(ferry.apiUrl, TOKEN, method, path, body);

const registryDeploys = async (ferry: LocalFerry, fn: string) =>
  (await ferry.store.listByFunction(fn)).items.filter((d) => d.trigger.kind === 'registry');

/** Polls until `fn` has a registry-triggered deployment; undefined after `timeoutMs`. */
async function rolloutOf(ferry: LocalFerry, fn: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [found] = await registryDeploys(ferry, fn);
    if (found) return found;
    await sleep(200);
  }
  return undefined;
}

const copy = (ferry: LocalFerry, from: string, to: string) =>
  run('skopeo', [
    'copy',
    '--authfile',
    ferry.registryAuthFile,
    '--src-tls-verify=false',
    '--dest-tls-verify=false',
    `docker://${ferry.registryHost}/${from}`,
    `docker://${ferry.registryHost}/${to}`,
  ]);

describe('Local mode: the registry feed', () => {
  it('queues a push for a busy function without blocking another repository, and runs it after a restart', async () => {
    // GIVEN two functions on the hello example, each with a rule for its own repository
    let ferry = await start();
    try {
      const builder = createExampleBuilder(
        ferry.registryHost,
        ferry.registryAuthFile,
        ferry.registryLogin,
      );
      try {
        await builder.build('hello', { repository: 'feed/base', tag: 'v1' });
      } finally {
        builder.dispose();
      }
      for (const [fn, repository] of [
        ['feed-a', 'feed/a'],
        ['feed-b', 'feed/b'],
      ] as const) {
        const created = await api(ferry, 'POST', '/v1/local/functions', {
          name: fn,
          image: `${ferry.registryHost}/feed/base:v1`,
        });
        expect(created.status, JSON.stringify(created.body)).toBeLessThan(300);
        await api(ferry, 'PUT', `/v1/functions/${fn}`, { team: 'platform' });
        const rule = await api(ferry, 'PUT', `/v1/rules/${encodeURIComponent(repository)}`, {
          tagPattern: 'release-*',
          functions: [fn],
        });
        expect(rule.status).toBe(200);
      }
      // feed-a is busy: another deployment holds its lock.
      await ferry.store.acquireLock('feed-a', HELD, Math.floor(Date.now() / 1000), 3600);

      // WHEN a push for the busy function comes first, then one to the other repository
      await copy(ferry, 'feed/base:v1', 'feed/a:release-1');
      await copy(ferry, 'feed/base:v1', 'feed/b:release-1');

      // THEN the other function rolls out while the busy one's push waits in its queue
      const other = await rolloutOf(ferry, 'feed-b');
      expect(other).toBeDefined();
      expect(await registryDeploys(ferry, 'feed-a')).toEqual([]);
      const queued = await api<{ items: Array<{ tag: string; repository: string }> }>(
        ferry,
        'GET',
        '/v1/functions/feed-a/rollouts',
      );
      expect(queued.body.items).toMatchObject([{ repository: 'feed/a', tag: 'release-1' }]);
      await ferry.workflow.idle();
      expect((await ferry.store.get(other?.id as string))?.status).toBe('SUCCEEDED');
    } finally {
      await ferry.close();
    }

    // WHEN Ferry restarts and the other deployment releases feed-a
    ferry = await start();
    try {
      expect(
        (await api<{ items: unknown[] }>(ferry, 'GET', '/v1/functions/feed-a/rollouts')).body.items,
      ).toHaveLength(1);
      await ferry.store.releaseLock('feed-a', HELD);

      // THEN the dispatcher starts the queued rollout, and it runs to the end
      const queuedRun: Deployment | undefined = await rolloutOf(ferry, 'feed-a');
      expect(queuedRun?.request.image).toMatch(/\/feed\/a@sha256:/);
      await ferry.workflow.idle();
      expect((await ferry.store.get(queuedRun?.id as string))?.status).toBe('SUCCEEDED');
      expect(
        (await api<{ items: unknown[] }>(ferry, 'GET', '/v1/functions/feed-a/rollouts')).body.items,
      ).toEqual([]);
      expect(await registryDeploys(ferry, 'feed-a')).toHaveLength(1);
    } finally {
      await ferry.close();
    }
  }, 240_000);
});

/**
 * Ferry's local pipeline (registry, function host, dynalite, the real ASL) deploying images
 * built around AWS's own Node.js runtime interface client (test/support/ric-image.ts), each
 * onto a function whose live release is a healthy twin (`baseline`). The verdicts are the ones
 * Lambda's behaviour calls for: a thrown error, an error at import, a timeout under the
 * default 3 s and a stream that fails midway are all failed smokes that roll back; only
 * `answer` is released.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalFerry, startLocalFerry } from '../../local/start.ts';
import { runCli } from '../../services/cli/main.ts';
import type { Deployment } from '../../services/core/deployment.ts';
import { silentLogger } from '../../services/core/logger.ts';
import { callFerry } from '../support/ferry-api.ts';
import { pushRicImages, RIC_FUNCTIONS, type RicImage } from '../support/ric-image.ts';

const TOKEN = 'ferry_e2e_admin_token_ric_0123456';

let home: string;
let ferry: LocalFerry;
let images: Record<RicImage, string>;

const api = <T>(method: string, path: string, body?: unknown) =>
  callFerry<T>(ferry.apiUrl, TOKEN, method, path, body);

/** Deploys `image` to `fn` and waits for the deployment to end. */
async function deployed(fn: string, image: string): Promise<Deployment> {
  const created = await api<{ id: string }>('POST', '/v1/deployments', { function: fn, image });
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const d = (await api<Deployment>('GET', `/v1/deployments/${created.body.id}`)).body;
    if (!['PENDING', 'RUNNING'].includes(d.status)) return d;
    if (Date.now() > deadline) throw new Error(`deployment still ${d.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const liveVersion = async (fn: string) =>
  (await ferry.functions.getAliasRouting(fn, 'live'))?.version;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'ferry-ric-'));
  ferry = await startLocalFerry({ home, port: 0, adminToken: TOKEN, logger: silentLogger });
  images = await pushRicImages(ferry.registryHost, 'demo/ric', {
    authFile: ferry.registryAuthFile,
    login: ferry.registryLogin,
  });
  for (const fn of RIC_FUNCTIONS) {
    const out: string[] = [];
    const code = await runCli(['local', 'create-function', fn, '--image', images.baseline], {
      stdout: { write: (t) => void out.push(t), isTTY: false },
      stderr: { write: (t) => void out.push(t) },
      env: { FERRY_URL: ferry.apiUrl, FERRY_TOKEN: TOKEN },
      pollMs: 100,
    });
    expect(code, out.join('')).toBe(0);
    // The cold-start gate compares init times, which is not what these runtimes are here for.
    const put = await api('PUT', `/v1/functions/${fn}`, {
      team: 'platform',
      coldStart: { maxInitGrowthRatio: null, samples: 3 },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
  }
}, 600_000);

afterAll(async () => {
  await ferry?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('Local mode: releases of images that run AWS’s Node.js runtime interface client', () => {
  it('answer is released: SUCCEEDED, a cold start measured, the alias on the new version', async () => {
    const d = await deployed('answer', images.answer);
    expect(d.status, d.reason).toBe('SUCCEEDED');
    expect(d.smoke).toMatchObject({ passed: true, verdict: 'pass', statusCode: 200 });
    expect(d.smoke?.initDurationMs).toBeGreaterThan(0);
    expect(await liveVersion('answer')).toBe(d.release?.version);
  }, 180_000);

  it('throws fails its smoke with the runtime’s error and is rolled back', async () => {
    const live = await liveVersion('throws');
    const d = await deployed('throws', images.throws);
    expect(d.status).toBe('ROLLED_BACK');
    expect(d.smoke).toMatchObject({ passed: false, verdict: 'fail', functionError: 'Unhandled' });
    expect(d.reason).toContain('Error: boom from the handler');
    expect(await liveVersion('throws')).toBe(live);
  }, 180_000);

  it('import-fails is an init error: a failed smoke with no Init Duration counted, rolled back', async () => {
    const live = await liveVersion('import-fails');
    const d = await deployed('import-fails', images['import-fails']);
    expect(d.status).toBe('ROLLED_BACK');
    expect(d.smoke).toMatchObject({ passed: false, verdict: 'fail', functionError: 'Unhandled' });
    expect(d.reason).toContain('cannot load configuration at import');
    expect(d.smoke?.initDurationMs).toBeNull();
    expect(await liveVersion('import-fails')).toBe(live);
  }, 180_000);

  it('slow times out under the default 3 s timeout and is rolled back, saying so', async () => {
    const live = await liveVersion('slow');
    const d = await deployed('slow', images.slow);
    expect(d.status).toBe('ROLLED_BACK');
    expect(d.smoke).toMatchObject({ passed: false, verdict: 'fail', functionError: 'Unhandled' });
    expect(d.reason).toMatch(/Task timed out after 3\.00 seconds/);
    expect(await liveVersion('slow')).toBe(live);
  }, 180_000);

  it('stream-fails fails its smoke (not a 200 with a partial body) and is rolled back', async () => {
    const live = await liveVersion('stream-fails');
    const d = await deployed('stream-fails', images['stream-fails']);
    expect(d.status).toBe('ROLLED_BACK');
    expect(d.smoke).toMatchObject({ passed: false, verdict: 'fail', functionError: 'Unhandled' });
    expect(d.reason).toContain('stream broke midway');
    expect(await liveVersion('stream-fails')).toBe(live);
  }, 180_000);
});

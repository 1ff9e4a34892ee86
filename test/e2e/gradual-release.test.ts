/**
 * Gradual releases in local mode with the real parts (docker-registry, buildah images, the
 * function host, dynalite, the real ASL): a canary of 25% in 5 s steps while a load generator
 * invokes the alias through the host's Lambda API, read by `X-Amz-Executed-Version`. A healthy
 * image is released; one that fails every second call is rolled back at its step with the
 * figures; an abort ends a step at once; an approval gate waits; provisioned concurrency is
 * READY before any weight moves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostFetch } from '../../local/function-host/signed-fetch.ts';
import { type LocalFerry, startLocalFerry } from '../../local/start.ts';
import { runCli } from '../../services/cli/main.ts';
import type { Deployment } from '../../services/core/deployment.ts';
import { silentLogger } from '../../services/core/logger.ts';
import { callFerry } from '../support/ferry-api.ts';
import { buildLambdaImages } from '../support/lambda-images.ts';

const TOKEN = 'ferry_e2e_admin_token_canary_0123';
const FN = 'canary-fn';
const CANARY = { strategy: 'canary', percent: 25, intervalSeconds: 5 } as const;

let home: string;
let ferry: LocalFerry;
let images: Record<'good' | 'twin' | 'flaky', string>;

const api = <T>(method: string, path: string, body?: unknown) =>
  callFerry<T>(ferry.apiUrl, TOKEN, method, path, body);

async function settings(extra: Record<string, unknown>) {
  const put = await api('PUT', `/v1/functions/${FN}`, {
    team: 'platform',
    judge: { minInvocations: 10 },
    ...extra,
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
}

async function deploy(image: string, release?: unknown): Promise<string> {
  const created = await api<{ id: string }>('POST', '/v1/deployments', {
    function: FN,
    image,
    ...(release ? { release } : {}),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  return created.body.id;
}

const record = async (id: string) => (await api<Deployment>('GET', `/v1/deployments/${id}`)).body;

async function until(id: string, ready: (d: Deployment) => boolean, seconds = 60) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const d = await record(id);
    if (ready(d)) return d;
    if (Date.now() > deadline)
      throw new Error(`timed out: ${d.status} ${JSON.stringify(d.traffic)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ended = (d: Deployment) => !['PENDING', 'RUNNING'].includes(d.status);

/** Invokes the alias over and over (two callers) and keeps which version ran each call, and when. */
function loadGenerator() {
  const calls: Array<{ at: number; version: string; failed: boolean }> = [];
  let running = true;
  const caller = async () => {
    while (running) {
      const res = await hostFetch(ferry.functionHostCredentials)(
        `${ferry.functionHostUrl}/2015-03-31/functions/${FN}:live/invocations`,
        { method: 'POST', body: '{"load":true}' },
      ).catch(() => null);
      if (!res) continue;
      await res.arrayBuffer();
      calls.push({
        at: Date.now(),
        version: res.headers.get('x-amz-executed-version') ?? '?',
        failed: res.headers.has('x-amz-function-error'),
      });
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const callers = [caller(), caller()];
  return {
    calls,
    async stop() {
      running = false;
      await Promise.all(callers);
    },
  };
}

/** good or twin, whichever the alias does not run now (a release must have something to shift). */
async function notLive(): Promise<string> {
  const version = (await aliasRouting())?.version ?? '$LATEST';
  const running = (await ferry.functions.getFunction(FN, version)).resolvedImageUri ?? '';
  return running.endsWith(images.good.split('@')[1] ?? '') ? images.twin : images.good;
}

/** The alias's routing as the host reports it. */
async function aliasRouting() {
  return ferry.functions.getAliasRouting(FN, 'live');
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'ferry-canary-'));
  ferry = await startLocalFerry({ home, port: 0, adminToken: TOKEN, logger: silentLogger });
  images = await buildLambdaImages(
    ferry.registryHost,
    ['good', 'twin', 'flaky'],
    'demo/canary',
    ferry.registryAuthFile,
  );
  const out: string[] = [];
  const code = await runCli(['local', 'create-function', FN, '--image', images.good], {
    stdout: { write: (t) => void out.push(t), isTTY: false },
    stderr: { write: (t) => void out.push(t) },
    env: { FERRY_URL: ferry.apiUrl, FERRY_TOKEN: TOKEN },
    pollMs: 100,
  });
  expect(code, out.join('')).toBe(0);
  await settings({});
  // The first release takes the alias at once: there is nothing to shift from.
  const first = await deploy(images.good);
  expect((await until(first, ended)).status).toBe('SUCCEEDED');
}, 240_000);

afterAll(async () => {
  await ferry?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('Local mode: gradual releases under load', () => {
  it('a healthy canary: about 25% of the calls run the new version during its step, then all of them', async () => {
    await settings({ release: CANARY });
    const load = loadGenerator();
    try {
      const id = await deploy(await notLive());
      const holding = await until(
        id,
        (d) => d.traffic?.phase === 'holding' && d.traffic.weight > 0,
      );
      const d = await until(id, ended);
      expect(d.status, d.reason).toBe('SUCCEEDED');
      const released = d.release?.version;
      const step = d.traffic?.judgements[0];
      expect(step).toMatchObject({ outcome: 'pass', weight: 0.25 });
      // The calls made while the step held 25%.
      const from = Date.parse(holding.traffic?.stepStartedAt ?? '');
      const to = Date.parse(step?.to ?? '');
      const during = load.calls.filter((c) => c.at > from && c.at < to);
      const share = during.filter((c) => c.version === released).length / during.length;
      console.log(
        `canary step: ${during.length} calls, ${(share * 100).toFixed(1)}% on version ${released}; judged: ${step?.reason}`,
      );
      expect(during.length).toBeGreaterThan(40);
      expect(share).toBeGreaterThan(0.1);
      expect(share).toBeLessThan(0.45);
      expect(await aliasRouting()).toMatchObject({ version: released, additional: null });
    } finally {
      await load.stop();
    }
  }, 120_000);

  it('an image that fails every second call is rolled back at its first step, with the figures', async () => {
    await settings({ release: CANARY });
    const live = (await aliasRouting())?.version;
    const load = loadGenerator();
    try {
      const id = await deploy(images.flaky);
      const holding = await until(
        id,
        (d) => d.traffic?.phase === 'holding' && d.traffic.weight > 0,
      );
      const d = await until(id, ended);
      expect(d.status).toBe('ROLLED_BACK');
      expect(d.reason).toMatch(
        /^step 1 failed: version \d+: \d+ errors in \d+ invocations \(\d+(\.\d)?%\) vs version \d+: 0 in \d+, \d+ s window/,
      );
      // Within one step: the judge's verdict at the step's end, then one alias update back.
      const took = Date.parse(d.endedAt ?? '') - Date.parse(holding.traffic?.stepStartedAt ?? '');
      expect(took).toBeLessThan(5_000 + 3_000);
      expect(await aliasRouting()).toMatchObject({ version: live, additional: null });
    } finally {
      await load.stop();
    }
  }, 120_000);

  it('abort during a step ends it within a second: ROLLED_BACK with who aborted', async () => {
    await settings({ release: { ...CANARY, intervalSeconds: 120 } });
    const live = (await aliasRouting())?.version;
    const id = await deploy(await notLive());
    await until(id, (d) => d.traffic?.phase === 'holding' && d.traffic.weight > 0);
    await new Promise((r) => setTimeout(r, 300));
    const asked = Date.now();
    const aborted = await api('POST', `/v1/deployments/${id}/abort`);
    expect(aborted.status).toBe(202);
    const d = await until(id, ended, 10);
    expect(Date.now() - asked).toBeLessThan(1_000 + 500);
    expect(d.status).toBe('ROLLED_BACK');
    expect(d.reason).toMatch(/^aborted by .+ during step 1 \(25% to the new version\)$/);
    expect(await aliasRouting()).toMatchObject({ version: live, additional: null });
  }, 120_000);

  it('with approval required, waits at the last step until approved, then finishes', async () => {
    await settings({ release: CANARY, approval: { required: true } });
    const load = loadGenerator();
    try {
      const id = await deploy(await notLive());
      await until(id, (d) => d.traffic?.phase === 'awaiting-approval');
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await record(id)).status).toBe('RUNNING');
      expect(await aliasRouting()).toMatchObject({ additional: { weight: 0.25 } });
      expect((await api('POST', `/v1/deployments/${id}/approve`)).status).toBe(202);
      const d = await until(id, ended);
      expect(d.status, d.reason).toBe('SUCCEEDED');
      expect(d.approval?.by).toBeDefined();
      expect(await aliasRouting()).toMatchObject({ version: d.release?.version, additional: null });
    } finally {
      await load.stop();
    }
  }, 120_000);

  it('with provisioned concurrency, the new version is READY before any weight moved', async () => {
    await settings({ release: CANARY, provisionedConcurrency: 1 });
    const load = loadGenerator();
    try {
      const id = await deploy(await notLive());
      const d = await until(id, ended);
      expect(d.status, d.reason).toBe('SUCCEEDED');
      const provisioned = d.steps.find((s) => s.name === 'ProvisionConcurrency');
      const shifted = d.steps.find((s) => s.name === 'ShiftTraffic');
      const readyAt = Date.parse(d.traffic?.provisionedConcurrency?.readyAt ?? '');
      expect(d.traffic?.provisionedConcurrency).toMatchObject({ status: 'READY', requested: 1 });
      expect(readyAt).toBeLessThanOrEqual(Date.parse(provisioned?.endedAt ?? ''));
      expect(readyAt).toBeLessThan(Date.parse(shifted?.startedAt ?? ''));
      const version = d.release?.version ?? '';
      expect(await ferry.functions.getProvisionedConcurrency(FN, version)).toMatchObject({
        status: 'READY',
      });
    } finally {
      await load.stop();
    }
  }, 120_000);
});

/**
 * `ferry gc` in local mode with the real parts (docker-registry, buildah, the function host,
 * dynalite, the real ASL): one function, twelve deployments — nine releases of distinct images,
 * two rollbacks, and a canary holding at 25% — with a rollback depth of 3. The dry run lists
 * exactly what lies outside the in-use set and changes nothing; gc removes it (versions first,
 * then, in a second pass, their images), the registry's disk shrinks, every kept release still deploys
 * by rollback, a collected one is refused with its reason, and the live alias answers throughout.
 * gc's clock runs two hours ahead, so the images are past the one-hour minimum age at once.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostFetch } from '../../local/function-host/signed-fetch.ts';
import { basicAuth } from '../../local/registry-process.ts';
import { type LocalFerry, startLocalFerry } from '../../local/start.ts';
import { totalBytes } from '../../services/adapters/local/local-storage-reclaimer.ts';
import type { GcReport } from '../../services/app/collect-garbage.ts';
import { runCli } from '../../services/cli/main.ts';
import type { Deployment } from '../../services/core/deployment.ts';
import { silentLogger } from '../../services/core/logger.ts';
import { callFerry } from '../support/ferry-api.ts';
import { buildLambdaImages } from '../support/lambda-images.ts';
import { uploadBlob } from '../support/registry.ts';

const run = promisify(execFile);
const TOKEN = 'ferry_e2e_admin_token_gc_0123456789';
const FN = 'gc-fn';
const REPO = 'demo/gc';
const LAYER_BYTES = 96 * 1024;
const AHEAD_MS = 2 * 3600 * 1000;

let home: string;
let ferry: LocalFerry;
/** The release images, by number (1..10), pinned. */
const images: string[] = [];
/** The twelve deployments, oldest first. */
const ids: string[] = [];

const api = <T>(method: string, path: string, body?: unknown) =>
  callFerry<T>(ferry.apiUrl, TOKEN, method, path, body);
const record = async (id: string) => (await api<Deployment>('GET', `/v1/deployments/${id}`)).body;
const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function until(id: string, ready: (d: Deployment) => boolean, seconds = 90) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const d = await record(id);
    if (ready(d)) return d;
    if (Date.now() > deadline) throw new Error(`timed out: ${d.status} ${d.reason ?? ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const ended = (d: Deployment) => !['PENDING', 'RUNNING'].includes(d.status);

async function succeeded(created: { status: number; body: { id?: string } }) {
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  const id = created.body.id as string;
  const d = await until(id, ended);
  expect(d.status, d.reason).toBe('SUCCEEDED');
  return id;
}
const deploy = (n: number, release?: unknown) =>
  api<{ id: string }>('POST', '/v1/deployments', {
    function: FN,
    image: images[n - 1],
    ...(release ? { release } : {}),
  });
const rollback = (to?: string) =>
  api<{ id: string }>('POST', `/v1/functions/${FN}/rollback`, to ? { to } : {});

/** The registry's session for the distribution API. */
const registry = () => ({
  url: `http://${ferry.registryHost}`,
  headers: { Authorization: basicAuth(ferry.registryLogin) },
});

/** A release image: the base image plus one layer of its own (`n` random bytes files). */
async function pushRelease(base: string, n: number): Promise<string> {
  const { url, headers } = registry();
  const accept = [
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.v2+json',
  ].join(', ');
  const at = base.split('@')[1];
  const res = await fetch(`${url}/v2/${REPO}/manifests/${at}`, {
    headers: { ...headers, Accept: accept },
  });
  const mediaType = res.headers.get('content-type') ?? '';
  const manifest = (await res.json()) as {
    config: { digest: string; size: number; mediaType: string };
    layers: { mediaType: string; digest: string; size: number }[];
  };
  const configRes = await fetch(`${url}/v2/${REPO}/blobs/${manifest.config.digest}`, { headers });
  const config = (await configRes.json()) as {
    rootfs: { diff_ids: string[] };
    history?: unknown[];
  };
  const dir = mkdtempSync(join(tmpdir(), 'ferry-gc-layer-'));
  try {
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', `release-${n}.bin`), randomBytes(LAYER_BYTES));
    await run('tar', ['-cf', join(dir, 'layer.tar'), '-C', dir, 'data']);
    const tar = readFileSync(join(dir, 'layer.tar'));
    const layer = gzipSync(tar);
    const login = ferry.registryLogin;
    const layerDigest = await uploadBlob(url, REPO, layer, login);
    config.rootfs.diff_ids.push(sha256(tar));
    config.history = [...(config.history ?? []), { created_by: `gc e2e release ${n}` }];
    const configBytes = Buffer.from(JSON.stringify(config));
    const configDigest = await uploadBlob(url, REPO, configBytes, login);
    const last = manifest.layers.at(-1)?.mediaType ?? 'application/vnd.oci.image.layer.v1.tar+gzip';
    const next = Buffer.from(
      JSON.stringify({
        ...manifest,
        config: { ...manifest.config, digest: configDigest, size: configBytes.length },
        layers: [...manifest.layers, { mediaType: last, digest: layerDigest, size: layer.length }],
      }),
    );
    // Pushed by digest, untagged: Promote gives it its only tag, Ferry's release tag.
    const digest = sha256(next);
    const put = await fetch(`${url}/v2/${REPO}/manifests/${digest}`, {
      method: 'PUT',
      headers: { ...headers, 'Content-Type': mediaType },
      body: next,
    });
    expect(put.status, await put.text()).toBe(201);
    return `${ferry.registryHost}/${REPO}@${digest}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every tag of the repository with its digest: the registry's listing. */
async function registryListing(): Promise<Record<string, string>> {
  const { url, headers } = registry();
  const tags =
    (
      (await (await fetch(`${url}/v2/${REPO}/tags/list`, { headers })).json()) as {
        tags: string[] | null;
      }
    ).tags ?? [];
  const listing: Record<string, string> = {};
  for (const tag of tags.sort()) {
    const head = await fetch(`${url}/v2/${REPO}/manifests/${tag}`, {
      method: 'HEAD',
      headers: {
        ...headers,
        Accept:
          'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
      },
    });
    listing[tag] = head.headers.get('docker-content-digest') ?? '?';
  }
  return listing;
}

/** The function's published versions as the host's ListVersionsByFunction reports them. */
async function versionList(): Promise<string[]> {
  const res = await hostFetch(ferry.functionHostCredentials)(
    `${ferry.functionHostUrl}/2015-03-31/functions/${FN}/versions`,
    { method: 'GET' },
  );
  const body = (await res.json()) as { Versions: { Version: string; CodeSha256: string }[] };
  return body.Versions.map((v) => `${v.Version}:${v.CodeSha256}`);
}

/** The live alias answers (no function error). */
async function liveAnswers(): Promise<void> {
  const res = await hostFetch(ferry.functionHostCredentials)(
    `${ferry.functionHostUrl}/2015-03-31/functions/${FN}:live/invocations`,
    { method: 'POST', body: '{"gc":true}' },
  );
  const text = await res.text();
  expect(res.status, text).toBe(200);
  expect(res.headers.has('x-amz-function-error'), text).toBe(false);
}

async function gc(dryRun: boolean): Promise<GcReport> {
  const res = await api<GcReport>('POST', '/v1/gc', { dryRun, rollbackDepth: 3 });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    stdout: { write: (t) => void out.push(t), isTTY: false },
    stderr: { write: (t) => void err.push(t) },
    env: { FERRY_URL: ferry.apiUrl, FERRY_TOKEN: TOKEN },
    pollMs: 100,
  });
  return { code, out: out.join(''), err: err.join('') };
}

const digestOf = (n: number) => images[n - 1]?.split('@')[1] as string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'ferry-gc-'));
  ferry = await startLocalFerry({
    home,
    port: 0,
    adminToken: TOKEN,
    logger: silentLogger,
    // The shortest minimum age, and a clock past it: no test waits an hour.
    gc: {
      policy: { minimumAgeSeconds: 3600 },
      clock: { now: () => new Date(Date.now() + AHEAD_MS) },
    },
  });
  const built = await buildLambdaImages(ferry.registryHost, ['good'], REPO, ferry.registryAuthFile);
  for (let n = 1; n <= 10; n++) images.push(await pushRelease(built.good, n));
  expect((await cli(['local', 'create-function', FN, '--image', built.good])).code).toBe(0);
  const put = await api('PUT', `/v1/functions/${FN}`, {
    team: 'platform',
    coldStart: { maxInitGrowthRatio: null, samples: 3 },
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  // 1-4: images 1..4; 5: rollback (to 3); 6-8: images 5..7; 9: rollback (to 6); 10-11: 8, 9.
  for (const n of [1, 2, 3, 4]) ids.push(await succeeded(await deploy(n)));
  ids.push(await succeeded(await rollback()));
  for (const n of [5, 6, 7]) ids.push(await succeeded(await deploy(n)));
  ids.push(await succeeded(await rollback()));
  for (const n of [8, 9]) ids.push(await succeeded(await deploy(n)));
  await liveAnswers();
  // 12: image 10 as a canary holding at 25%: the alias is weighted while gc runs.
  const canary = await deploy(10, { strategy: 'canary', percent: 25, intervalSeconds: 600 });
  expect(canary.status).toBe(202);
  ids.push(canary.body.id);
  await until(canary.body.id, (d) => d.traffic?.phase === 'holding' && d.traffic.weight > 0);
}, 300_000);

afterAll(async () => {
  await ferry?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('Local mode: ferry gc', () => {
  it('keeps what releases need and removes the rest, while the canary holds', async () => {
    const releasedBy = await Promise.all(ids.map(record));
    expect(releasedBy[4]?.release?.digest).toBe(digestOf(3));
    expect(releasedBy[8]?.release?.digest).toBe(digestOf(6));
    // Kept by depth 3: the last three distinct released digests (9, 8, 6); by the canary: 10
    // and the release it replaces (9); and whatever version the alias routes to.
    const keptDigests = new Set([9, 8, 6, 10].map(digestOf));
    const keptVersions = new Set(
      [8, 9, 10, 11].map((i) => releasedBy[i]?.release?.version as string),
    );
    const versionsBefore = await versionList();
    const listingBefore = await registryListing();
    const expectedVersions = versionsBefore
      .map((v) => v.split(':')[0] as string)
      .filter((v) => v !== '$LATEST' && !keptVersions.has(v));

    const expectedImages = [1, 2, 3, 4, 5, 7].map(digestOf).sort();
    const dry = await gc(true);
    expect(dry.versions.map((v) => v.version).sort()).toEqual([...expectedVersions].sort());
    // The images of those versions go with them (gc's second pass, predicted here).
    expect(dry.images.map((i) => i.digest).sort()).toEqual(expectedImages);
    for (const digest of dry.images.map((i) => i.digest))
      expect(keptDigests.has(digest)).toBe(false);
    expect(await versionList()).toEqual(versionsBefore);
    expect(await registryListing()).toEqual(listingBefore);
    const cliDry = await cli(['gc', '--dry-run']);
    expect(cliDry.code, cliDry.err).toBe(0);
    expect(cliDry.out).toMatch(
      new RegExp(`^would remove 6 images \\(.+\\) and ${expectedVersions.length} versions`),
    );
    expect(await versionList()).toEqual(versionsBefore);
    expect(await registryListing()).toEqual(listingBefore);
    await liveAnswers();

    const diskBefore = await totalBytes([join(home, 'registry', 'storage')]);
    const { code, out } = await cli(['gc']);
    expect(code, out).toBe(0);
    expect(out).toMatch(
      new RegExp(`^removed 6 images \\(.+, .+ on disk\\) and ${expectedVersions.length} versions`),
    );
    const diskAfter = await totalBytes([join(home, 'registry', 'storage')]);
    // Each removed image had a layer of its own.
    expect(diskBefore - diskAfter).toBeGreaterThanOrEqual(6 * LAYER_BYTES);
    const listing = await registryListing();
    for (const digest of expectedImages) expect(Object.values(listing)).not.toContain(digest);
    for (const digest of keptDigests) expect(Object.values(listing)).toContain(digest);
    const versionsAfter = (await versionList()).map((v) => v.split(':')[0] as string);
    for (const v of expectedVersions) expect(versionsAfter).not.toContain(v);
    for (const v of keptVersions) expect(versionsAfter).toContain(v);
    await liveAnswers();

    const again = await gc(false);
    expect(again.images).toEqual([]);
    expect(again.versions).toEqual([]);
    await liveAnswers();
  }, 120_000);

  it('records the collection, refuses a collected release and rolls back to every kept one', async () => {
    const collected = await record(ids[0] as string);
    expect(collected.imageCollectedAt).toBeTruthy();
    expect(collected.versionCollectedAt).toBeTruthy();
    const history = await cli(['history', FN, '--limit', '20']);
    expect(history.out).toMatch(new RegExp(`${ids[0]} .*image collected`));

    const canary = ids[11] as string;
    expect((await api('POST', `/v1/deployments/${canary}/abort`)).status).toBe(202);
    expect((await until(canary, ended)).status).toBe('ROLLED_BACK');
    await liveAnswers();

    const refused = await cli(['rollback', FN, '--to', ids[0] as string]);
    expect(refused.code).toBe(1);
    expect(refused.err.trim().split('\n')).toHaveLength(1);
    expect(refused.err).toMatch(/^ferry: .*was removed by ferry gc at \d{4}-/);

    // Live is image 9 (deployment 11): the kept releases before it still deploy.
    for (const to of [ids[9], ids[8], ids[10]] as string[]) {
      await succeeded(await rollback(to));
      await liveAnswers();
    }
  }, 120_000);
});

/**
 * `npm run bench` (local mode part): a local deploy vs the raw steps it is made of, manifest-only
 * scan time for a ~10 MB vs a ~2 GB image, and rollback latency after a failed smoke — all in
 * one run on this machine, with the real registry, buildah and function host.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBuildahBuilder } from '../local/buildah-builder.ts';
import { hostFetch } from '../local/function-host/signed-fetch.ts';
import { startLocalFerry } from '../local/start.ts';
import { OciRegistry } from '../services/adapters/local/oci-registry.ts';
import { buildOverrides } from '../services/core/build-environment.ts';
import { silentLogger } from '../services/core/logger.ts';
import { noMetrics } from '../services/core/metrics.ts';
import { scanImage } from '../services/workers/scan-image/core.ts';
import { aDeployment } from '../test/fakes/deployments.ts';
import { ManualClock } from '../test/fakes/manual-clock.ts';
import { MemoryStore } from '../test/fakes/memory-store.ts';
import { startTestRegistry, uploadBlob } from '../test/support/registry.ts';
import { median } from './median.ts';

const example = (name: string) =>
  `file://${fileURLToPath(new URL(`../examples/${name}`, import.meta.url))}`;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
/** Local deploy vs raw steps: rounds, each one of both. */
const ROUNDS = 5;
/** Scans of each image, interleaved. */
const SCAN_RUNS = 31;

function buildRequest(repo: string, tag: string, version: string) {
  return {
    ProjectName: 'bench',
    EnvironmentVariablesOverride: buildOverrides({
      FERRY_DEPLOYMENT_ID: tag,
      FERRY_SOURCE_URL: example('hello'),
      FERRY_SOURCE_REF: '',
      FERRY_DOCKERFILE: 'Dockerfile',
      FERRY_CONTEXT: '.',
      FERRY_BUILD_ARGS: { VERSION: version },
      FERRY_IMAGE_REPOSITORY: repo,
      FERRY_IMAGE_TAG: tag,
      FERRY_PLATFORM: 'linux/amd64',
    }),
  };
}

/** Pushes an image whose layers total `bytes` (zero-filled, 256 MiB per layer at most). */
async function pushSized(
  url: string,
  repository: string,
  tag: string,
  bytes: number,
): Promise<string> {
  const layers = [];
  for (let left = bytes; left > 0; left -= 256 * 1024 ** 2) {
    const chunk = Buffer.alloc(Math.min(left, 256 * 1024 ** 2), layers.length + 1);
    layers.push({
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: await uploadBlob(url, repository, chunk),
      size: chunk.length,
    });
  }
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      history: layers.map((_, i) => ({ created_by: `RUN layer ${i}` })),
    }),
  );
  const configDigest = await uploadBlob(url, repository, config);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: configDigest,
      size: config.length,
    },
    layers,
  });
  await fetch(`${url}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    body: manifest,
  });
  return `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
}

/** Time of one scan of one image by the real ScanImage core. */
async function scanTime(
  registry: OciRegistry,
  host: string,
  repository: string,
  digest: string,
): Promise<number> {
  const store = new MemoryStore();
  await store.create(aDeployment({ id: 'd-bench', functionName: 'f', status: 'RUNNING' }));
  const start = process.hrtime.bigint();
  await scanImage(
    {
      deploymentId: 'd-bench',
      image: {
        repository,
        digest,
        uri: `${host}/${repository}@${digest}`,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
      },
      architecture: 'x86_64',
      policy: { sizeBudgetBytes: 250 * 1024 ** 2, maxGrowthRatio: null, enforceGrowth: true },
      live: null,
    },
    { registry, store, clock: new ManualClock(), logger: silentLogger, metrics: noMetrics },
  );
  return ms(start);
}

/** Runs the local-mode benchmarks and returns printable lines. */
export async function benchLocal(): Promise<string[]> {
  const lines: string[] = [];
  // Scan: manifest-only, so a 2 GB image should scan as fast as a 10 MB one.
  const reg = await startTestRegistry();
  try {
    const registry = new OciRegistry({ baseUrl: reg.url });
    const small = await pushSized(reg.url, 'bench/small', 'v1', 10 * 1024 ** 2);
    const large = await pushSized(reg.url, 'bench/large', 'v1', 2 * 1024 ** 3);
    // Interleaved single scans, then medians: a few-ms figure drifts with GC and the other process.
    const smalls: number[] = [];
    const larges: number[] = [];
    for (let i = 0; i < SCAN_RUNS; i++) {
      smalls.push(await scanTime(registry, reg.host, 'bench/small', small));
      larges.push(await scanTime(registry, reg.host, 'bench/large', large));
    }
    const tSmall = median(smalls);
    const tLarge = median(larges);
    lines.push(
      `scan ~10 MB image ${tSmall.toFixed(1)} ms vs ~2 GB image ${tLarge.toFixed(1)} ms = ${(tLarge / tSmall).toFixed(2)}× — target ≤ 1.2× (manifest-only, medians of ${SCAN_RUNS} interleaved scans)`,
    );
  } finally {
    await reg.stop();
  }

  const home = mkdtempSync(join(tmpdir(), 'ferry-bench-'));
  const ferry = await startLocalFerry({
    home,
    port: 0,
    adminToken: 'ferry_bench_admin_token_0123456789',
    logger: silentLogger,
  });
  const auth = {
    authorization: 'Bearer ferry_bench_admin_token_0123456789',
    'content-type': 'application/json',
  };
  const call = async (method: string, path: string, body?: unknown) =>
    (
      await fetch(`${ferry.apiUrl}${path}`, {
        method,
        headers: auth,
        ...(body ? { body: JSON.stringify(body) } : {}),
      })
    ).json() as Promise<Record<string, unknown>>;
  try {
    const builder = createBuildahBuilder({
      registryHost: ferry.registryHost,
      authFile: ferry.registryAuthFile,
      storageRoot: join(home, 'buildah'),
      logDir: join(home, 'builds'),
    });
    await builder(buildRequest(`${ferry.registryHost}/bench/hello`, 'seed', 'seed')); // base image + cache warm
    await call('POST', '/v1/local/functions', {
      name: 'bench',
      image: `${ferry.registryHost}/bench/hello:seed`,
    });
    await call('PUT', '/v1/functions/bench', {
      team: 'platform',
      smoke: { payload: {}, expectJsonSubset: { ok: true } },
    });
    const poll = async (id: string) => {
      for (;;) {
        const d = await call('GET', `/v1/deployments/${id}`);
        if (!['PENDING', 'RUNNING'].includes(String(d.status))) return d;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    // Alternating rounds, medians: one sample of each swung 1.07–2.05× on this 2-core machine.
    // Each round builds a new VERSION, so neither side reuses the other's final layer.
    const raws: number[] = [];
    const ferrys: number[] = [];
    let status = '';
    for (let round = 0; round < ROUNDS; round++) {
      // Raw steps: build + push, create (pull, unpack), first invoke (start + init + handler).
      let start = process.hrtime.bigint();
      await builder(
        buildRequest(`${ferry.registryHost}/bench/hello`, `raw${round}`, `raw${round}`),
      );
      await call('POST', '/v1/local/functions', {
        name: `raw${round}`,
        image: `${ferry.registryHost}/bench/hello:raw${round}`,
      });
      await hostFetch(ferry.functionHostCredentials)(
        `${ferry.functionHostUrl}/2015-03-31/functions/raw${round}/invocations?Qualifier=live`,
        { method: 'POST', body: '{}' },
      );
      raws.push(ms(start));
      // Ferry: the same work through the whole workflow (POST → SUCCEEDED).
      start = process.hrtime.bigint();
      const accepted = await call('POST', '/v1/deployments', {
        function: 'bench',
        source: { url: example('hello'), buildArgs: { VERSION: `ferry${round}` } },
      });
      status = String((await poll(String(accepted.id))).status);
      ferrys.push(ms(start));
    }
    const raw = median(raws);
    const ferryMs = median(ferrys);
    const ratios = ferrys.map((f, i) => f / (raws[i] ?? f));
    lines.push(
      `local deploy POST → ${status} ${(ferryMs / 1000).toFixed(2)} s vs raw steps ${(raw / 1000).toFixed(2)} s (buildah bud + push + unpack/start + first invoke; medians of ${ROUNDS} alternating rounds) = ${(ferryMs / raw).toFixed(2)}× (rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×) — target ≤ 1.5×`,
    );
    // Rollback after a failed smoke: the broken example.
    const broken = await call('POST', '/v1/deployments', {
      function: 'bench',
      source: { url: example('broken') },
    });
    const rolled = (await poll(String(broken.id))) as {
      status: string;
      steps: Array<{ name: string; startedAt: string; endedAt?: string }>;
    };
    const step = rolled.steps.find((s) => s.name === 'Rollback');
    const rollbackMs = step?.endedAt
      ? Date.parse(step.endedAt) - Date.parse(step.startedAt)
      : Number.NaN;
    lines.push(
      `rollback after a failed smoke: ${rolled.status}, Rollback step ${rollbackMs} ms — target ≤ 1 s (the alias never moved: Ferry smokes before Activate, so rollback restores $LATEST only)`,
    );
  } finally {
    await ferry.close();
    rmSync(home, { recursive: true, force: true });
  }
  return lines;
}

import { describe, expect, it } from 'vitest';
import { FakeRegistry, OCI_INDEX, OCI_MANIFEST } from '../../../test/fakes/fake-registry.ts';
import { ManualClock } from '../../../test/fakes/manual-clock.ts';
import { MemoryStore } from '../../../test/fakes/memory-store.ts';
import type { Deployment, Release } from '../../core/deployment.ts';
import { silentLogger } from '../../core/logger.ts';
import { noMetrics } from '../../core/metrics.ts';
import type { Architecture } from '../../core/ports.ts';
import type { ResolvedImage } from '../../core/workflow.ts';
import { parseInput } from '../parse-input.ts';
import { type ScanImageDeps, scanImage, scanImageInputSchema } from './core.ts';

const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const ID = 'd-01JDQ4Z9X8M2N3P4Q5R6S7T8V9';
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

function aDeployment(): Deployment {
  return {
    id: ID,
    functionName: 'api',
    status: 'RUNNING',
    createdAt: '2026-11-28T11:59:00.000Z',
    updatedAt: '2026-11-28T11:59:00.000Z',
    trigger: { kind: 'api' },
    request: { image: `${REGISTRY}/team/api:v2` },
    steps: [],
  };
}

async function setup() {
  const store = new MemoryStore();
  const registry = new FakeRegistry();
  await store.create(aDeployment());
  const deps: ScanImageDeps = {
    store,
    registry,
    clock: new ManualClock(),
    logger: silentLogger,
    metrics: noMetrics,
  };
  return { store, registry, deps };
}

function image(digest: string, mediaType = OCI_MANIFEST): ResolvedImage {
  return {
    registry: REGISTRY,
    repository: 'team/api',
    digest,
    uri: `${REGISTRY}/team/api@${digest}`,
    mediaType,
  };
}

function liveRelease(digest: string): Release {
  return { version: '3', digest, imageUri: `${REGISTRY}/team/api@${digest}` };
}

function input(
  resolved: ResolvedImage,
  options: {
    architecture?: Architecture;
    live?: Release | null;
    sizeBudgetBytes?: number;
    maxGrowthRatio?: number | null;
  } = {},
) {
  return parseInput('ScanImage', scanImageInputSchema, {
    deploymentId: ID,
    image: resolved,
    architecture: options.architecture ?? 'x86_64',
    policy: {
      sizeBudgetBytes: options.sizeBudgetBytes ?? 250 * MiB,
      maxGrowthRatio: options.maxGrowthRatio === undefined ? 1.5 : options.maxGrowthRatio,
    },
    live: options.live ?? null,
  });
}

describe('scanImage', () => {
  it('passes an image under the budget and stores the report on the deployment', async () => {
    // Prepare
    const { deps, registry, store } = await setup();
    const digest = registry.pushImage('team/api', 'v2', {
      layers: [
        { sizeBytes: 30 * MiB, createdBy: 'ADD file:base in / ' },
        { sizeBytes: 10 * MiB, createdBy: 'COPY app /var/task # buildkit' },
      ],
    });

    // Act
    const report = await scanImage(input(image(digest)), deps);

    // Assess
    expect(report).toMatchObject({
      verdict: 'pass',
      reasons: [],
      mediaType: OCI_MANIFEST,
      architecture: 'x86_64',
      compressedBytes: 40 * MiB,
      uncompressedBytes: null,
      layerCount: 2,
      budgetBytes: 250 * MiB,
      liveCompressedBytes: null,
      growthRatio: null,
      maxGrowthRatio: 1.5,
    });
    const deployment = await store.get(ID);
    expect(deployment?.scan).toEqual(report);
    expect(deployment?.steps[0]).toMatchObject({
      name: 'ScanImage',
      outcome: 'succeeded',
      attempts: 1,
      detail: 'pass: 40.0 MiB in 2 layers',
    });
  });

  it('rejects an image over the budget with the figures, as a verdict rather than an error', async () => {
    // Prepare
    const { deps, registry, store } = await setup();
    const digest = registry.pushImage('team/api', 'v2', {
      layers: [{ sizeBytes: 300 * MiB, createdBy: 'RUN /bin/sh -c pip install torch # buildkit' }],
    });

    // Act
    const report = await scanImage(input(image(digest)), deps);

    // Assess
    expect(report.verdict).toBe('reject');
    expect(report.reasons).toEqual([
      expect.stringContaining('compressed size 300.0 MiB is over the budget of 250.0 MiB'),
    ]);
    expect((await store.get(ID))?.steps[0]).toMatchObject({ outcome: 'succeeded' });
  });

  it('rejects growth over the max ratio against the live release', async () => {
    // Prepare
    const { deps, registry } = await setup();
    const live = registry.pushImage('team/api', 'v1', {
      layers: [{ sizeBytes: 20 * MiB, createdBy: 'COPY app /var/task' }],
      label: 'v1',
    });
    const digest = registry.pushImage('team/api', 'v2', {
      layers: [{ sizeBytes: 50 * MiB, createdBy: 'COPY app /var/task' }],
      label: 'v2',
    });

    // Act
    const report = await scanImage(input(image(digest), { live: liveRelease(live) }), deps);

    // Assess
    expect(report).toMatchObject({
      verdict: 'reject',
      liveCompressedBytes: 20 * MiB,
      growthRatio: 2.5,
      maxGrowthRatio: 1.5,
    });
    expect(report.reasons[0]).toContain('50.0 MiB vs 20.0 MiB live (2.50×, +30.0 MiB), limit 1.5×');
    expect(report.gates).toEqual([
      expect.objectContaining({
        gate: 'size-growth',
        outcome: 'failed',
        value: 50 * MiB,
        live: 20 * MiB,
        ratio: 2.5,
        delta: 30 * MiB,
        maxRatio: 1.5,
      }),
    ]);
  });

  it('passes the same growth when the max growth ratio is null', async () => {
    // Prepare
    const { deps, registry } = await setup();
    const live = registry.pushImage('team/api', 'v1', {
      layers: [{ sizeBytes: 20 * MiB, createdBy: 'COPY app /var/task' }],
      label: 'v1',
    });
    const digest = registry.pushImage('team/api', 'v2', {
      layers: [{ sizeBytes: 50 * MiB, createdBy: 'COPY app /var/task' }],
      label: 'v2',
    });

    // Act
    const report = await scanImage(
      input(image(digest), { live: liveRelease(live), maxGrowthRatio: null }),
      deps,
    );

    // Assess
    expect(report).toMatchObject({ verdict: 'pass', growthRatio: 2.5, maxGrowthRatio: null });
  });

  it('reports no growth and passes when the live manifest is missing', async () => {
    // Prepare
    const { deps, registry } = await setup();
    const digest = registry.pushImage('team/api', 'v2');
    const gone = liveRelease(`sha256:${'c'.repeat(64)}`);

    // Act
    const report = await scanImage(input(image(digest), { live: gone }), deps);

    // Assess
    expect(report).toMatchObject({ verdict: 'pass', liveCompressedBytes: null, growthRatio: null });
  });

  it('rejects an arm64 image for an x86_64 function', async () => {
    // Prepare
    const { deps, registry } = await setup();
    const digest = registry.pushImage('team/api', 'v2', { architecture: 'arm64' });

    // Act
    const report = await scanImage(input(image(digest), { architecture: 'x86_64' }), deps);

    // Assess
    expect(report.verdict).toBe('reject');
    expect(report.architecture).toBe('arm64');
    expect(report.reasons).toEqual([
      expect.stringContaining('built for arm64 but the function runs x86_64'),
    ]);
  });

  it('passes an arm64 image for an arm64 function', async () => {
    // Prepare
    const { deps, registry } = await setup();
    const digest = registry.pushImage('team/api', 'v2', { architecture: 'arm64' });

    // Act
    const report = await scanImage(input(image(digest), { architecture: 'arm64' }), deps);

    // Assess
    expect(report).toMatchObject({ verdict: 'pass', architecture: 'arm64' });
  });

  it('rejects a multi-architecture index, naming its manifests', async () => {
    // Prepare
    const { deps, registry } = await setup();
    const amd = registry.pushImage('team/api', null, { label: 'amd' });
    const arm = registry.pushImage('team/api', null, { architecture: 'arm64', label: 'arm' });
    const index = registry.pushIndex('team/api', 'v2', [amd, arm]);

    // Act
    const report = await scanImage(input(image(index, OCI_INDEX)), deps);

    // Assess
    expect(report).toMatchObject({
      verdict: 'reject',
      mediaType: OCI_INDEX,
      architecture: null,
      compressedBytes: 0,
      layerCount: 0,
      largestLayers: [],
    });
    expect(report.reasons).toHaveLength(1);
    expect(report.reasons[0]).toMatch(
      /^multi-architecture index: Lambda runs one architecture; deploy the x86_64/,
    );
    expect(report.reasons[0]).toContain(amd);
    expect(report.reasons[0]).toContain(arm);
  });

  it('lists the five largest layers, largest first, with clean history lines', async () => {
    // Prepare
    const { deps, registry } = await setup();
    const digest = registry.pushImage('team/api', 'v2', {
      emptyHistory: ['/bin/sh -c #(nop)  ENV LANG=C.UTF-8', 'CMD ["index.handler"]'],
      layers: [
        { sizeBytes: 40 * MiB, createdBy: '/bin/sh -c #(nop) ADD file:4f1c in / ' },
        { sizeBytes: 2 * MiB, createdBy: 'RUN /bin/sh -c dnf install -y tar # buildkit' },
        { sizeBytes: 90 * MiB, createdBy: 'RUN /bin/sh -c npm ci --omit=dev # buildkit' },
        { sizeBytes: 1 * MiB, createdBy: 'COPY package.json ./ # buildkit' },
        { sizeBytes: 5 * MiB, createdBy: 'COPY dist/ /var/task/ # buildkit' },
        { sizeBytes: 3 * MiB, createdBy: 'WORKDIR /var/task' },
      ],
    });

    // Act
    const report = await scanImage(input(image(digest)), deps);

    // Assess
    expect(report.layerCount).toBe(6);
    expect(report.largestLayers.map((l) => [l.sizeBytes, l.createdBy])).toEqual([
      [90 * MiB, 'RUN npm ci --omit=dev'],
      [40 * MiB, 'ADD file:4f1c in /'],
      [5 * MiB, 'COPY dist/ /var/task/'],
      [3 * MiB, 'WORKDIR /var/task'],
      [2 * MiB, 'RUN dnf install -y tar'],
    ]);
    expect(report.largestLayers.map((l) => l.index)).toEqual([3, 1, 5, 6, 2]);
    expect(report.largestLayers[0]?.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(report.hints).toEqual([
      expect.stringContaining(
        "layer 2 (RUN dnf install -y tar, 2.0 MiB, 1%) leaves the package manager's cache",
      ),
    ]);
    expect(report.baseImage).toBeNull();
  });

  it("rejects an image over Lambda's 10 GiB limit", async () => {
    // Prepare
    const { deps, registry } = await setup();
    const digest = registry.pushImage('team/api', 'v2', {
      layers: [
        { sizeBytes: 6 * GiB, createdBy: 'COPY model.bin /opt/ # buildkit' },
        { sizeBytes: 5 * GiB, createdBy: 'COPY weights.bin /opt/ # buildkit' },
      ],
    });

    // Act
    const report = await scanImage(input(image(digest), { sizeBudgetBytes: 20 * GiB }), deps);

    // Assess
    expect(report.verdict).toBe('reject');
    expect(report.compressedBytes).toBe(11 * GiB);
    expect(report.reasons).toEqual([
      expect.stringContaining("over Lambda's limit of 10240.0 MiB (10 GiB)"),
    ]);
  });

  it('throws NotFoundError when the image is gone from the registry', async () => {
    // Prepare
    const { deps } = await setup();

    // Act & Assess
    await expect(scanImage(input(image(`sha256:${'d'.repeat(64)}`)), deps)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it('gives the same report when retried', async () => {
    // Prepare
    const { deps, registry, store } = await setup();
    const digest = registry.pushImage('team/api', 'v2');
    const first = await scanImage(input(image(digest)), deps);

    // Act
    const second = await scanImage(input(image(digest)), deps);

    // Assess
    expect(second).toEqual(first);
    expect((await store.get(ID))?.steps[0]?.attempts).toBe(2);
  });
});

/**
 * The scan's layer attribution and hints on a REAL image: a Dockerfile whose lines we know, built
 * by local mode's buildah builder (one layer per instruction), pushed to a real docker-registry on
 * 127.0.0.1, scanned by the ScanImage core through the real OciRegistry adapter.
 */

import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuildahBuilder } from '../../../local/buildah-builder.ts';
import { ManualClock } from '../../../test/fakes/manual-clock.ts';
import { MemoryStore } from '../../../test/fakes/memory-store.ts';
import { buildEnvironment } from '../../../test/support/images.ts';
import { startTestRegistry, type TestRegistry } from '../../../test/support/registry.ts';
import { OciRegistry } from '../../adapters/local/oci-registry.ts';
import type { ScanReport } from '../../core/deployment.ts';
import { silentLogger } from '../../core/logger.ts';
import { noMetrics } from '../../core/metrics.ts';
import { type ScanImageDeps, scanImage } from './core.ts';
import { lambdaArchitecture } from './policy.ts';

const ID = 'd-01JDQ4Z9X8M2N3P4Q5R6S7T8V9';
const MiB = 1024 ** 2;

/** Stand-ins for apt-get and npm (this machine cannot download): they write incompressible bytes. */
const FAKE_APT = `#!/bin/sh
# apt-get stand-in: "install" leaves 3.5 MB behind, like real packages would.
if [ "$1" = install ]; then mkdir -p /usr/lib/gcc && head -c 3500000 /dev/urandom > /usr/lib/gcc/cc1; fi
exit 0
`;
const FAKE_NPM = `#!/bin/sh
# npm stand-in: "install" fills node_modules with 1 MB.
mkdir -p /var/task/node_modules/devdep && head -c 1000000 /dev/urandom > /var/task/node_modules/devdep/big.js
`;

/** The Dockerfile under test: every line's layer and hint is asserted below. */
const DOCKERFILE = `FROM localhost/ferry/busybox
COPY tools/ /bin/
RUN apt-get update && apt-get install -y gcc make
COPY . /var/task/
RUN cd /var/task && npm install
ENTRYPOINT ["/bin/sh"]
`;

describe('ScanImage on a real image built with buildah (docker-registry on 127.0.0.1)', () => {
  let registry: TestRegistry;
  let dir: string;
  let report: ScanReport;

  beforeAll(async () => {
    // Prepare: the build context — no .dockerignore, so node_modules and tests go in with COPY . .
    registry = await startTestRegistry();
    dir = mkdtempSync(join(tmpdir(), 'ferry-scan-real-'));
    const context = join(dir, 'context');
    mkdirSync(join(context, 'tools'), { recursive: true });
    mkdirSync(join(context, 'node_modules', 'left-over'), { recursive: true });
    mkdirSync(join(context, 'tests'), { recursive: true });
    writeFileSync(join(context, 'Dockerfile'), DOCKERFILE);
    writeFileSync(join(context, 'tools', 'apt-get'), FAKE_APT);
    writeFileSync(join(context, 'tools', 'npm'), FAKE_NPM);
    chmodSync(join(context, 'tools', 'apt-get'), 0o755);
    chmodSync(join(context, 'tools', 'npm'), 0o755);
    writeFileSync(join(context, 'node_modules', 'left-over', 'blob.bin'), randomBytes(2_500_000));
    writeFileSync(join(context, 'tests', 'fixture.json'), '{"ok":true}');
    writeFileSync(join(context, 'handler.sh'), 'handler() { echo "{}"; }\n');

    const build = createBuildahBuilder({
      registryHost: registry.host,
      storageRoot: join(dir, 'buildah'),
      logDir: join(dir, 'logs'),
    });
    await build({
      ProjectName: 'ferry-test',
      EnvironmentVariablesOverride: buildEnvironment({
        FERRY_SOURCE_URL: pathToFileURL(context).href,
        FERRY_IMAGE_REPOSITORY: 'team/fat',
        FERRY_IMAGE_TAG: 'v1',
      }),
    });
    const oci = new OciRegistry({ baseUrl: registry.url });
    const manifest = await oci.getManifest('team/fat', 'v1');
    const store = new MemoryStore();
    await store.create({
      id: ID,
      functionName: 'fat',
      status: 'RUNNING',
      createdAt: '2026-11-28T12:00:00.000Z',
      updatedAt: '2026-11-28T12:00:00.000Z',
      trigger: { kind: 'api' },
      request: { image: `${registry.host}/team/fat:v1` },
      steps: [],
    });
    const deps: ScanImageDeps = {
      registry: oci,
      store,
      clock: new ManualClock(),
      logger: silentLogger,
      metrics: noMetrics,
    };

    // Act
    report = await scanImage(
      {
        deploymentId: ID,
        image: {
          registry: registry.host,
          repository: 'team/fat',
          digest: manifest.digest,
          uri: `${registry.host}/team/fat@${manifest.digest}`,
          mediaType: manifest.mediaType,
        },
        architecture: lambdaArchitecture(process.arch === 'x64' ? 'amd64' : process.arch) as
          | 'x86_64'
          | 'arm64',
        policy: { sizeBudgetBytes: 250 * MiB, maxGrowthRatio: 1.5, enforceGrowth: true },
        live: null,
      },
      deps,
    );
  }, 180_000);

  afterAll(async () => {
    await registry?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('credits each large layer to the Dockerfile line that made it, biggest first', () => {
    // Assess: five layers — the base's, then one per COPY/RUN (ENTRYPOINT makes none).
    console.log(
      'real image scan:',
      JSON.stringify(
        {
          compressedBytes: report.compressedBytes,
          layerCount: report.layerCount,
          largestLayers: report.largestLayers.map((l) => [l.index, l.sizeBytes, l.createdBy]),
        },
        null,
        1,
      ),
    );
    expect(report.verdict).toBe('pass');
    expect(report.layerCount).toBe(5);
    const lines = report.largestLayers.map((l) => [l.index, l.createdBy, l.fromBase]);
    expect(lines.slice(0, 2)).toEqual([
      [3, 'RUN apt-get update && apt-get install -y gcc make', false],
      [4, expect.stringMatching(/^COPY dir:[0-9a-f]{12} in \/var\/task\/$/), false],
    ]);
    // The busybox base was committed as one layer, credited by buildah to its last line.
    expect(lines).toContainEqual([1, 'ENV PATH=/bin', true]);
    expect(lines).toContainEqual([5, 'RUN cd /var/task && npm install', false]);
    expect(lines).toContainEqual([
      2,
      expect.stringMatching(/^COPY dir:[0-9a-f]{12} in \/bin\/$/),
      false,
    ]);
    expect(report.largestLayers[0]?.sizeBytes).toBeGreaterThan(3_500_000);
    expect(report.baseImage).toBe('localhost/ferry/busybox:latest');
  });

  it('explains the size with hints naming the layer and its size', () => {
    console.log(`real image hints:\n${(report.hints ?? []).join('\n')}`);
    const layer = (n: number, line: string) =>
      `layer ${n} \\(${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, [0-9.]+ MiB, [0-9]+%\\)`;
    expect(report.hints).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Suggestion: ${layer(3, 'RUN apt-get update && apt-get install -y gcc make')} installs build tools \\(gcc, make\\) into the final image`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^Suggestion: ${layer(3, 'RUN apt-get update && apt-get install -y gcc make')} leaves apt's package lists`,
        ),
      ),
      expect.stringMatching(
        /^Suggestion: layer 4 \(COPY dir:[0-9a-f]{12} in \/var\/task\/, [0-9.]+ MiB, [0-9]+%\) copies a whole directory .*\.dockerignore that skips \.git, node_modules, tests/,
      ),
      expect.stringMatching(
        new RegExp(
          `^Suggestion: ${layer(5, 'RUN cd /var/task && npm install')} installs npm packages without --omit=dev`,
        ),
      ),
    ]);
  });

  it('keeps the size gate’s figures in structured form', () => {
    expect(report.gates).toEqual([
      expect.objectContaining({
        gate: 'size-growth',
        outcome: 'not-evaluated',
        value: report.compressedBytes,
      }),
    ]);
  });
});

/** Deployment records for the web page tests, with every figure the pages show. */
import type { Deployment } from '../../services/core/deployment.ts';
import { newDeploymentId } from '../../services/core/ids.ts';

const MiB = 1024 * 1024;

/** A finished, successful deployment of `functionName` created at minute `minute` of the day. */
export function deploymentFixture(
  functionName: string,
  minute: number,
  overrides: Partial<Deployment> = {},
): Deployment {
  const at = (second: number) => new Date(Date.UTC(2026, 10, 28, 10, minute, second));
  const digest = `sha256:${String(minute).padStart(2, '0').repeat(32)}`;
  return {
    id: newDeploymentId(at(0)),
    functionName,
    status: 'SUCCEEDED',
    createdAt: at(0).toISOString(),
    updatedAt: at(9).toISOString(),
    endedAt: at(9).toISOString(),
    team: 'payments',
    trigger: { kind: 'cli', actor: 'token:payments:0123456789ab' },
    request: { image: `registry.example/orders:v${minute}` },
    steps: [
      {
        name: 'Prepare',
        startedAt: at(0).toISOString(),
        endedAt: at(1).toISOString(),
        outcome: 'succeeded',
        attempts: 1,
      },
      {
        name: 'ScanImage',
        startedAt: at(1).toISOString(),
        endedAt: at(2).toISOString(),
        outcome: 'succeeded',
        attempts: 1,
      },
      {
        name: 'SmokeInvoke',
        startedAt: at(2).toISOString(),
        endedAt: at(8).toISOString(),
        outcome: 'succeeded',
        attempts: 2,
        detail: 'passed',
      },
    ],
    release: { version: String(minute), digest, imageUri: `registry.example/orders@${digest}` },
    scan: {
      verdict: 'pass',
      reasons: [],
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      architecture: 'amd64',
      compressedBytes: (10 + minute) * MiB,
      uncompressedBytes: null,
      layerCount: 3,
      largestLayers: [
        {
          digest: `sha256:${'b'.repeat(64)}`,
          sizeBytes: 8 * MiB,
          createdBy: 'RUN apt-get install -y build-essential',
        },
        { digest: `sha256:${'c'.repeat(64)}`, sizeBytes: 2 * MiB },
      ],
      budgetBytes: 250 * MiB,
      liveCompressedBytes: null,
      growthRatio: null,
      maxGrowthRatio: 1.5,
    },
    smoke: {
      passed: true,
      statusCode: 200,
      responseExcerpt: '{"ok":true}',
      initDurationMs: 100 + minute,
      durationMs: 3.5,
      maxMemoryUsedMb: 40,
    },
    ...overrides,
  };
}

/** Deployments for the records contract: one with every optional field, and histories to page. */
import type { Deployment } from '../../services/core/deployment.ts';
import type { DeploymentRecords } from '../../services/core/ports.ts';
import { aDeployment } from '../fakes/deployments.ts';

/** A finished deployment with every optional field set, nested ones included. */
export function aFullDeployment(overrides: Partial<Deployment> = {}): Deployment {
  const gate = {
    gate: 'init-growth',
    outcome: 'passed',
    unit: 'ms',
    value: 210,
    live: 200,
    ratio: 1.05,
    delta: 10,
    maxRatio: 1.5,
    minDelta: 100,
    summary: 'Init Duration 210.0 ms vs 200.0 ms live',
  } as const;
  return aDeployment({
    id: 'd-full',
    status: 'SUCCEEDED',
    team: 'payments',
    trigger: { kind: 'ecr', actor: 'arn:aws:iam::123456789012:role/ci', eventId: 'ev-1' },
    request: {
      source: {
        url: 'https://git.example.com/orders.git',
        ref: 'main',
        dockerfile: 'Dockerfile',
        context: '.',
        buildArgs: { NODE_ENV: 'production' },
      },
      reason: 'release',
    },
    steps: [
      {
        name: 'Prepare',
        startedAt: '2026-11-28T12:00:01.000Z',
        endedAt: '2026-11-28T12:00:02.000Z',
        outcome: 'succeeded',
        attempts: 2,
        detail: 'locked',
      },
      { name: 'Build', startedAt: '2026-11-28T12:00:03.000Z', outcome: 'running', attempts: 1 },
    ],
    previous: { version: '6', digest: 'sha256:aa', imageUri: 'r/orders@sha256:aa' },
    release: { version: '7', digest: 'sha256:bb', imageUri: 'r/orders@sha256:bb', repository: 'r' },
    scan: {
      verdict: 'pass',
      reasons: [],
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      architecture: 'x86_64',
      compressedBytes: 40_000_000,
      uncompressedBytes: null,
      layerCount: 2,
      largestLayers: [
        {
          digest: 'sha256:l1',
          sizeBytes: 30_000_000,
          index: 1,
          createdBy: 'FROM x',
          fromBase: true,
        },
      ],
      budgetBytes: 262_144_000,
      liveCompressedBytes: 39_000_000,
      growthRatio: 1.026,
      maxGrowthRatio: 1.5,
      baseImage: null,
      gates: [{ ...gate, gate: 'size-growth', unit: 'bytes' }],
      hints: ['a hint'],
    },
    smoke: {
      passed: true,
      verdict: 'pass',
      version: '7',
      statusCode: 200,
      responseExcerpt: '{"ok":true}',
      initDurationMs: 210,
      durationMs: 3.5,
      maxMemoryUsedMb: 64,
      gates: [gate],
    },
    buildLogsUrl: 'https://logs.example.com/build/1',
    reason: 'all good',
    error: { name: 'Nothing', message: 'no error' },
    endedAt: '2026-11-28T12:05:00.000Z',
    ...overrides,
  });
}

/** Creates `count` deployments of `functionName`, a day apart; returns them newest first. */
export async function createHistory(
  records: DeploymentRecords,
  functionName: string,
  count: number,
): Promise<Deployment[]> {
  const created: Deployment[] = [];
  for (let i = 0; i < count; i++) {
    const createdAt = new Date(Date.UTC(2026, 9, 1 + i)).toISOString();
    const d = aDeployment({
      id: `d-${functionName}-${String(i).padStart(3, '0')}`,
      functionName,
      createdAt,
      updatedAt: createdAt,
    });
    await records.create(d);
    created.push(d);
  }
  return created.reverse();
}

/** The records the response cases read: a deployment with every field, and the live release. */
import type { Deployment } from '../../../services/core/deployment.ts';
import type { LiveRelease } from '../../../services/core/live.ts';
import { aTraffic } from '../../fakes/traffic.ts';
import { IMAGE } from '../api-world.ts';

/** The id of {@link rich}. */
export const RICH_ID = 'd-01JDX3Q4ZJ8M2V7N5K1R9T6W3A';

const LIVE_DIGEST = `sha256:${'b'.repeat(64)}`;

/** The build of {@link rich}. */
export const RICH_BUILD_ID = 'ferry-build-x86_64:0b6f3c52-6c1e-4f5e-9d1a-2f0c8e7b5a41';

/** Over the API's 64 KB body limit. */
export const PADDING = 'x'.repeat(70_000);

/** A SUCCEEDED deployment with every optional field the model has, reports' extra figures too. */
export const rich: Deployment = {
  id: RICH_ID,
  functionName: 'orders',
  status: 'SUCCEEDED',
  createdAt: '2026-11-28T12:00:00.000Z',
  updatedAt: '2026-11-28T12:03:00.000Z',
  endedAt: '2026-11-28T12:03:00.000Z',
  team: 'payments',
  trigger: { kind: 'cli', actor: 'alice', eventId: 'e-1' },
  request: {
    source: {
      url: 'https://git.example.com/team/orders.git',
      ref: 'main',
      dockerfile: 'Dockerfile',
      context: '.',
      buildArgs: { NODE_ENV: 'production' },
    },
    reason: 'ship the new checkout',
    release: { strategy: 'canary', percent: 10, intervalSeconds: 300 },
  },
  steps: [],
  previous: { version: '1', digest: LIVE_DIGEST, imageUri: IMAGE },
  release: {
    version: '2',
    digest: `sha256:${'a'.repeat(64)}`,
    imageUri: IMAGE,
    repository: 'team/orders',
  },
  scan: {
    verdict: 'pass',
    reasons: [],
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    architecture: 'x86_64',
    compressedBytes: 52_428_800,
    uncompressedBytes: null,
    layerCount: 2,
    largestLayers: [
      { digest: `sha256:${'c'.repeat(64)}`, sizeBytes: 40_000_000, index: 1, fromBase: true },
      {
        digest: `sha256:${'d'.repeat(64)}`,
        sizeBytes: 12_428_800,
        index: 2,
        createdBy: 'RUN npm ci',
        fromBase: false,
      },
    ],
    budgetBytes: 262_144_000,
    liveCompressedBytes: 50_000_000,
    growthRatio: 1.049,
    maxGrowthRatio: 1.5,
    baseImage: 'public.ecr.aws/lambda/nodejs:20',
    gates: [
      {
        gate: 'size-growth',
        outcome: 'passed',
        unit: 'bytes',
        value: 52_428_800,
        live: 50_000_000,
        ratio: 1.049,
        delta: 2_428_800,
        maxRatio: 1.5,
        minDelta: null,
        summary: 'compressed size 50.0 MiB vs 47.7 MiB live (1.05×, +2.3 MiB), limit 1.5×',
      },
    ],
    hints: ['layer 2 (RUN npm ci) is 11.9 MiB'],
    // A figure a newer ScanImage wrote: kept and served as it is.
    layerReuseRatio: 0.8,
  },
  smoke: {
    passed: true,
    verdict: 'pass',
    version: '2',
    statusCode: 200,
    responseExcerpt: '{"ok":true}',
    initDurationMs: 180.5,
    durationMs: 3.2,
    maxMemoryUsedMb: 88,
    gates: [],
  },
  traffic: aTraffic({
    step: 1,
    weight: 1,
    phase: 'complete',
    stepStartedAt: '2026-11-28T12:02:30.000Z',
    stepEndsAt: '2026-11-28T12:02:30.000Z',
    extensions: 1,
    judgements: [
      {
        step: 0,
        weight: 0.1,
        from: '2026-11-28T12:02:30.000Z',
        to: '2026-11-28T12:07:30.000Z',
        outcome: 'pass',
        action: 'next',
        reason: 'version 2: 40 invocations, 0 errors, 0 throttles; p90 12 ms',
        candidate: {
          version: '2',
          invocations: 40,
          errors: 0,
          throttles: 0,
          durationP90Ms: 12,
        },
        baseline: {
          version: '1',
          invocations: 360,
          errors: 1,
          throttles: 0,
          durationP90Ms: null,
        },
        alarms: [{ name: 'orders-5xx', state: 'OK', preexisting: false }],
      },
    ],
    provisionedConcurrency: {
      version: '2',
      requested: 5,
      status: 'READY',
      requestedAt: '2026-11-28T12:02:10.000Z',
      readyAt: '2026-11-28T12:02:25.000Z',
      removedFrom: '1',
    },
    preexistingAlarms: [],
  }),
  approval: { by: 'token:payments:alice', at: '2026-11-28T12:07:40.000Z' },
  buildLogsUrl: 'https://console.aws.amazon.com/codesuite/codebuild/logs',
  buildId: RICH_BUILD_ID,
  reason: 'released',
  error: { name: 'None', message: 'kept for the schema' },
};

/** Two steps of {@link rich}: one done, one running on its second attempt. */
export const richSteps = [
  {
    name: 'Build',
    startedAt: '2026-11-28T12:00:01.000Z',
    endedAt: '2026-11-28T12:01:00.000Z',
    outcome: 'succeeded',
    attempts: 1,
    detail: 'built',
  },
  { name: 'SmokeInvoke', startedAt: '2026-11-28T12:02:00.000Z', outcome: 'running', attempts: 2 },
] as const;

/** What `orders` serves: a newer release than {@link rich}, so that one is a rollback target. */
export const live: LiveRelease = {
  functionName: 'orders',
  deploymentId: 'd-01JDX3Q4ZJ8M2V7N5K1R9T6W3C',
  version: '3',
  digest: LIVE_DIGEST,
  imageUri: IMAGE.replace(/a{64}$/, 'b'.repeat(64)),
  releasedAt: '2026-11-29T09:00:00.000Z',
  compressedBytes: 50_000_000,
  initDurationMs: 175,
};

/** A RUNNING deployment of `orders` at the `phase` of a canary, with no decision recorded yet. */
export function inRelease(id: string, phase: 'holding' | 'awaiting-approval'): Deployment {
  return {
    id,
    functionName: 'orders',
    status: 'RUNNING',
    createdAt: '2026-11-29T10:00:00.000Z',
    updatedAt: '2026-11-29T10:03:00.000Z',
    team: 'payments',
    trigger: { kind: 'api', actor: 'token:payments:alice' },
    request: { image: IMAGE },
    steps: [],
    traffic: {
      strategy: { strategy: 'canary', percent: 10, intervalSeconds: 300 },
      steps: [
        { weight: 0.1, holdSeconds: 300 },
        { weight: 1, holdSeconds: 0 },
      ],
      step: 0,
      weight: 0.1,
      phase,
      stepStartedAt: '2026-11-29T10:02:00.000Z',
      stepEndsAt: '2026-11-29T10:07:00.000Z',
      extensions: 0,
      judgements: [],
      preexistingAlarms: [],
    },
  };
}

/** A RUNNING deployment waiting for its approval. */
export const AWAITING_ID = 'd-01JDX3Q4ZJ8M2V7N5K1R9T6W3D';
/** A RUNNING deployment holding its first step. */
export const HOLDING_ID = 'd-01JDX3Q4ZJ8M2V7N5K1R9T6W3E';
/** A RUNNING deployment waiting for its approval whose callbacks fail. */
export const FLAKY_ID = 'd-01JDX3Q4ZJ8M2V7N5K1R9T6W3F';

/**
 * Builders for worker core tests: a world of in-memory fakes with one function running `v1`
 * (version 1 behind `live`) and a pushed `v2`, a RUNNING deployment as Prepare leaves it, and
 * the workflow state object the ASL hands the workers (PrepareResult etc. from workflow.ts).
 */

import { LocalWorkflowCallbacks } from '../../local/workflow-callbacks.ts';
import { notifyOnce } from '../../services/adapters/notify-once.ts';
import type { Deployment } from '../../services/core/deployment.ts';
import { newDeploymentId } from '../../services/core/ids.ts';
import { silentLogger } from '../../services/core/logger.ts';
import type { FunctionConfig } from '../../services/core/ports.ts';
import { planRelease } from '../../services/core/release-plan.ts';
import { parseFunctionSettings } from '../../services/core/settings.ts';
import {
  candidateTag,
  type PrepareResult,
  type ResolvedImage,
  releaseTag,
} from '../../services/core/workflow.ts';
import type { WorkerDeps } from '../../services/workers/deps.ts';
import { FakeAlarms } from '../fakes/fake-alarms.ts';
import { FakeBuildLogs } from '../fakes/fake-build-logs.ts';
import { FakeFunctions } from '../fakes/fake-functions.ts';
import { FakeRegistry, OCI_MANIFEST } from '../fakes/fake-registry.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { MemoryMessageClaims } from '../fakes/memory-claims.ts';
import { MemoryStore } from '../fakes/memory-store.ts';
import { RecordingMetrics } from '../fakes/recording-metrics.ts';
import { RecordingNotifier } from '../fakes/recording-notifier.ts';
import { ScriptedVersionHealth } from '../fakes/scripted-version-health.ts';

export const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
export const APP_REPO = 'team/api';
export const BUILD_REPO = 'ferry/builds';
export const FN = 'orders-api';

/**
 * A fresh world; `alias: false` creates the function without its `live` alias, `pairedColdStarts`
 * gives the functions the local host's capability to start a version cold on demand.
 */
export function createWorkerWorld(options: { alias?: boolean; pairedColdStarts?: boolean } = {}) {
  const store = new MemoryStore();
  const registry = new FakeRegistry();
  const functions = new FakeFunctions({ pairedColdStarts: options.pairedColdStarts ?? false });
  const notifier = new RecordingNotifier();
  const clock = new ManualClock();
  const claims = new MemoryMessageClaims(clock);
  const metrics = new RecordingMetrics();
  const id = newDeploymentId(new Date('2026-11-28T12:00:00Z'), new Uint8Array(10).fill(7));
  const liveDigest = registry.pushImage(APP_REPO, 'v1', { label: 'v1' });
  const newDigest = registry.pushImage(APP_REPO, 'v2', { label: 'v2' });
  const liveUri = `${REGISTRY}/${APP_REPO}@${liveDigest}`;
  const newUri = `${REGISTRY}/${APP_REPO}@${newDigest}`;
  functions.createFunction(FN, liveUri, { alias: options.alias === false ? null : 'live' });
  const deps: WorkerDeps = {
    store,
    registry,
    functions,
    // `notifier` records what was delivered: behind one claim per (deployment, status), as every
    // notifier the workers compose sends.
    notifier: notifyOnce('log', notifier, { claims, logger: silentLogger }),
    claims,
    versionHealth: new ScriptedVersionHealth(),
    alarms: new FakeAlarms(),
    callbacks: new LocalWorkflowCallbacks(),
    buildLogs: new FakeBuildLogs(),
    clock,
    logger: { ...silentLogger },
    metrics,
    options: {
      lockTtlSeconds: 6000,
      updateMaxWaitSeconds: 60,
      metricsSettleSeconds: 0,
      provisioningPollSeconds: 1,
      buildRepositoryUri: `${REGISTRY}/${BUILD_REPO}`,
    },
  };
  return {
    store,
    registry,
    functions,
    notifier,
    claims,
    clock,
    metrics,
    deps,
    id,
    liveDigest,
    liveUri,
    newDigest,
    newUri,
  };
}

/** A worker test world. */
export type WorkerWorld = ReturnType<typeof createWorkerWorld>;

function releaseOf(config: FunctionConfig) {
  const uri = config.resolvedImageUri;
  return { version: config.version, digest: uri?.split('@')[1] ?? null, imageUri: uri };
}

/** What Prepare would return for the world's deployment, read from the function as it is now. */
export async function planDeployment(
  world: WorkerWorld,
  overrides: Partial<PrepareResult> = {},
): Promise<PrepareResult> {
  const latest = await world.functions.getFunction(FN);
  const aliasVersion = await world.functions.getAlias(FN, 'live');
  const live = aliasVersion ? releaseOf(await world.functions.getFunction(FN, aliasVersion)) : null;
  return {
    deploymentId: world.id,
    functionName: FN,
    architecture: 'x86_64',
    alias: 'live',
    mode: 'image',
    imageRef: `${REGISTRY}/${APP_REPO}:v2`,
    candidateTag: null,
    build: null,
    latest: { ...releaseOf(latest), revisionId: latest.revisionId },
    live,
    policy: { sizeBudgetBytes: 250 * 1024 * 1024, maxGrowthRatio: 1.5, enforceGrowth: true },
    smoke: {
      payload: {},
      minInitDeltaMs: 50,
      liveInitDurationMs: null,
      samples: 5,
      inconclusiveBlocks: false,
      liveColdStarts: null,
      liveVersion: live?.version ?? null,
      enforceGrowth: true,
    },
    releaseTags: [releaseTag(world.id)],
    release: planRelease(
      { trigger: { kind: 'api' }, request: {} },
      parseFunctionSettings({ team: 'payments' }),
      { settleSeconds: 0, provisioningPollSeconds: 1 },
    ),
    ...overrides,
  } as PrepareResult;
}

/** The source-path parts of a plan: the build repository's candidate tag (pushed to the registry). */
export function sourcePlanParts(world: WorkerWorld): Partial<PrepareResult> {
  const tag = candidateTag(world.id);
  world.registry.pushImage(BUILD_REPO, tag, { label: `build-${world.id}` });
  return { mode: 'source', imageRef: `${REGISTRY}/${BUILD_REPO}:${tag}`, candidateTag: tag };
}

/** `$.image` for the world's new image. */
export function resolvedImage(world: WorkerWorld): ResolvedImage {
  return {
    registry: REGISTRY,
    repository: APP_REPO,
    digest: world.newDigest,
    uri: world.newUri,
    mediaType: OCI_MANIFEST,
  };
}

/** Writes the world's deployment as Prepare leaves it: RUNNING, locked, Prepare step done. */
export async function seedDeployment(
  world: WorkerWorld,
  overrides: Partial<Deployment> = {},
): Promise<Deployment> {
  const createdAt = world.clock.now().toISOString();
  const prepareStarted = world.clock.now().toISOString();
  const prepareEnded = world.clock.now().toISOString();
  const deployment: Deployment = {
    id: world.id,
    functionName: FN,
    status: 'RUNNING',
    createdAt,
    updatedAt: createdAt,
    team: 'payments',
    trigger: { kind: 'api', actor: 'arn:aws:iam::123456789012:role/ci' },
    request: { image: `${REGISTRY}/${APP_REPO}:v2`, reason: 'ship v2' },
    steps: [
      {
        name: 'Prepare',
        startedAt: prepareStarted,
        endedAt: prepareEnded,
        outcome: 'succeeded',
        attempts: 1,
      },
    ],
    previous: { version: '1', digest: world.liveDigest, imageUri: world.liveUri },
    release: {
      version: null,
      digest: world.newDigest,
      imageUri: world.newUri,
      repository: APP_REPO,
    },
    ...overrides,
  };
  await world.store.create(deployment);
  await world.store.acquireLock(FN, world.id, Math.floor(Date.parse(createdAt) / 1000), 6000);
  return deployment;
}

/** Puts the new image on $LATEST and publishes it, as UpdateFunction does; returns the version. */
export async function publishNewVersion(world: WorkerWorld): Promise<string> {
  await world.functions.updateCode(FN, world.newUri);
  const updated = await world.functions.waitUntilUpdated(FN, 60);
  return (await world.functions.publishVersion(FN, updated.codeSha256)).version;
}

/** The workflow state object after Prepare and ResolveImage, plus the given parts. */
export function workflowState(
  world: WorkerWorld,
  prepare: PrepareResult,
  parts: Record<string, unknown> = {},
): Record<string, unknown> {
  return { deploymentId: world.id, prepare, image: resolvedImage(world), ...parts };
}

/** What a Catch stores on AWS: `Cause` is Lambda's error as a JSON string. */
export function awsCaught(name: string, message: string) {
  return {
    Error: name,
    Cause: JSON.stringify({
      errorType: name,
      errorMessage: message,
      trace: [`${name}: ${message}`],
    }),
  };
}

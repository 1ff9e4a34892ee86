/**
 * A test world for the deploy workflow: the real ASL run by aws-local-stepfunctions, every worker
 * core bound to in-memory fakes of the ports, and a fake builder standing in for CodeBuild.
 */

import { LocalWorkflowCallbacks } from '../../local/workflow-callbacks.ts';
import {
  type BuildRequest,
  createLocalWorkflow,
  type ExecutionOutcome,
  type LocalWorkflow,
  type LocalWorkflowOptions,
} from '../../local/workflow-runner.ts';
import { notifyOnce } from '../../services/adapters/notify-once.ts';
import { sampleOf } from '../../services/core/cold-start.ts';
import type { Deployment, SourceSpec } from '../../services/core/deployment.ts';
import { parseImageRef } from '../../services/core/image-ref.ts';
import { liveReleaseOf } from '../../services/core/live.ts';
import { type Logger, silentLogger } from '../../services/core/logger.ts';
import type { ReleaseStrategy } from '../../services/core/release-strategy.ts';
import { type FunctionSettingsInput, parseFunctionSettings } from '../../services/core/settings.ts';
import type { WorkerStep } from '../../services/core/steps.ts';
import type { WorkerDeps } from '../../services/workers/deps.ts';
import { FakeAlarms } from '../fakes/fake-alarms.ts';
import { FakeBuildLogs } from '../fakes/fake-build-logs.ts';
import { FakeFunctions } from '../fakes/fake-functions.ts';
import { type FakeImageSpec, FakeRegistry } from '../fakes/fake-registry.ts';
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

/** What the fake builder does with the next build. */
export interface BuildPlan {
  fail?: boolean;
  image?: FakeImageSpec;
}

/** A fresh world with one registered function running `v1` (version 1 behind `live`). */
export function createWorld(
  options: {
    settings?: Partial<FunctionSettingsInput>;
    architecture?: 'x86_64' | 'arm64';
    alias?: boolean;
    /** Functions that can start the live version cold on demand, as the local host can. */
    pairedColdStarts?: boolean;
    /** Scales the release's waits (holds, approval). @default 0.05: a 1 s step holds 50 ms */
    timeScale?: number;
  } = {},
) {
  const clock = new ManualClock();
  // The store's expiry reads the workers' clock, as the adapters read the same time source.
  const store = new MemoryStore({ clock });
  const registry = new FakeRegistry();
  const functions = new FakeFunctions({ pairedColdStarts: options.pairedColdStarts ?? false });
  const notifier = new RecordingNotifier();
  const claims = new MemoryMessageClaims(clock);
  const metrics = new RecordingMetrics();
  const versionHealth = new ScriptedVersionHealth();
  const buildLogs = new FakeBuildLogs();
  const alarms = new FakeAlarms();
  const callbacks = new LocalWorkflowCallbacks();
  const builds: BuildRequest[] = [];
  let buildPlan: BuildPlan = {};
  let counter = 0;

  const liveArch = options.architecture === 'arm64' ? 'arm64' : 'amd64';
  const liveDigest = registry.pushImage(APP_REPO, 'v1', {
    architecture: liveArch,
    label: 'v1',
    layers: [
      { sizeBytes: 30_000_000, createdBy: 'COPY /runtime /opt/runtime # buildkit' },
      { sizeBytes: 10_000_000, createdBy: 'COPY dist /var/task # buildkit' },
    ],
  });
  const liveUri = `${REGISTRY}/${APP_REPO}@${liveDigest}`;
  functions.createFunction(FN, liveUri, {
    architecture: options.architecture ?? 'x86_64',
    alias: options.alias === false ? null : 'live',
  });
  void store.putSettings(FN, parseFunctionSettings({ team: 'payments', ...options.settings }));

  const deps: WorkerDeps = {
    store,
    registry,
    functions,
    // `notifier` records what was delivered: behind one claim per (deployment, status), as every
    // notifier the workers compose sends.
    notifier: notifyOnce('log', notifier, { claims, logger: silentLogger }),
    claims,
    versionHealth,
    alarms,
    callbacks,
    buildLogs,
    clock,
    logger: silentLogger,
    metrics,
    options: {
      lockTtlSeconds: 87_000,
      updateMaxWaitSeconds: 60,
      metricsSettleSeconds: 0,
      provisioningPollSeconds: 1,
      buildRepositoryUri: `${REGISTRY}/${BUILD_REPO}`,
    },
  };

  const builder = async (request: BuildRequest) => {
    builds.push(request);
    const env = Object.fromEntries(
      request.EnvironmentVariablesOverride.map((v) => [v.Name, v.Value]),
    );
    const started = clock.now().getTime();
    if (buildPlan.fail) {
      // As CodeBuild fails: the log holds the build's output, the Cause names the failed phase.
      const id = `${request.ProjectName}:build-${builds.length}`;
      buildLogs.start(id);
      buildLogs.write(id, [
        '[Container] Running command docker buildx build',
        'ERROR: exit code: 2',
      ]);
      const Phases = [
        { PhaseType: 'SUBMITTED', PhaseStatus: 'SUCCEEDED' },
        {
          PhaseType: 'BUILD',
          PhaseStatus: 'FAILED',
          Contexts: [
            {
              StatusCode: 'COMMAND_EXECUTION_ERROR',
              Message: 'Error while executing command: docker buildx build. Reason: exit status 2',
            },
          ],
        },
      ];
      const error = new Error(JSON.stringify({ Id: id, BuildStatus: 'FAILED', Phases }));
      error.name = 'States.TaskFailed';
      throw error;
    }
    const repository = parseImageRef(String(env.FERRY_IMAGE_REPOSITORY)).repository;
    registry.pushImage(repository, String(env.FERRY_IMAGE_TAG), {
      architecture: env.FERRY_PLATFORM === 'linux/arm64' ? 'arm64' : 'amd64',
      label: `build-${env.FERRY_DEPLOYMENT_ID}`,
      ...buildPlan.image,
    });
    return {
      Build: {
        Id: `${request.ProjectName}:build-${builds.length}`,
        BuildStatus: 'SUCCEEDED' as const,
        StartTime: started,
        EndTime: clock.now().getTime(),
        Logs: { DeepLink: `https://console.aws.amazon.com/codebuild/logs/${builds.length}` },
      },
    };
  };

  const world = {
    store,
    registry,
    functions,
    notifier,
    claims,
    metrics,
    versionHealth,
    alarms,
    callbacks,
    buildLogs,
    clock,
    deps,
    builds,
    liveDigest,
    liveUri,
    /** Pushes an image to the app repository; returns its digest. */
    pushApp(tag: string, spec: FakeImageSpec = {}): string {
      return registry.pushImage(APP_REPO, tag, { architecture: liveArch, label: tag, ...spec });
    },
    /**
     * Records a SUCCEEDED deployment of the live digest whose smoke saw `initDurationMs` (and,
     * given `samplesMs`, those cold starts; without, a record from before samples were taken):
     * what Prepare reads as the live release's cold starts.
     */
    async recordLiveInit(initDurationMs: number | null, samplesMs?: number[]): Promise<void> {
      const at = clock.now().toISOString();
      const live: Deployment = {
        id: `d-${'0'.repeat(25)}1`,
        functionName: FN,
        status: 'SUCCEEDED',
        createdAt: at,
        updatedAt: at,
        trigger: { kind: 'api' },
        request: { image: `${REGISTRY}/${APP_REPO}:v1` },
        steps: [],
        release: { version: '1', digest: liveDigest, imageUri: liveUri },
        smoke: {
          passed: true,
          statusCode: 200,
          responseExcerpt: '{}',
          initDurationMs,
          durationMs: 10,
          maxMemoryUsedMb: 64,
          ...(samplesMs ? { coldStarts: sampleOf(samplesMs) } : {}),
        },
      };
      // As Finalize left it when that release went live.
      await store.create(live);
      const record = liveReleaseOf(live, null);
      if (record) await store.putLive(record);
    },
    planBuild(plan: BuildPlan) {
      buildPlan = plan;
    },
    /** Writes a PENDING deployment as the API would. */
    async request(body: {
      image?: string;
      source?: SourceSpec;
      reason?: string;
      release?: ReleaseStrategy;
    }): Promise<string> {
      counter += 1;
      const id = `d-TEST${String(counter).padStart(22, '0')}`;
      const now = clock.now().toISOString();
      const deployment: Deployment = {
        id,
        functionName: FN,
        status: 'PENDING',
        createdAt: now,
        updatedAt: now,
        trigger: { kind: 'api', actor: 'arn:aws:iam::123456789012:role/ci' },
        request: body,
        steps: [],
      };
      await store.create(deployment);
      return id;
    },
    /** Runs the real workflow for a deployment, with per-step deps when given. */
    run(id: string, stepDeps?: (step: WorkerStep) => WorkerDeps): Promise<ExecutionOutcome> {
      return world.workflow({ ...(stepDeps ? { deps: stepDeps } : {}) }).run(id);
    },
    /**
     * A fresh runner over this world's ports (a restarted process's): a journal, other callback
     * waits or per-step deps when given.
     */
    workflow(
      extra: { deps?: (step: WorkerStep) => WorkerDeps; callbacks?: LocalWorkflowCallbacks } & Pick<
        LocalWorkflowOptions,
        'journal'
      > = {},
    ): LocalWorkflow {
      const own = extra.callbacks ?? callbacks;
      return createLocalWorkflow({
        deps: extra.deps ?? (extra.callbacks ? { ...deps, callbacks: own } : deps),
        builder,
        retryIntervalSeconds: 0,
        callbacks: own,
        callbackTimeScale: options.timeScale ?? 0.05,
        ...(extra.journal ? { journal: extra.journal } : {}),
      });
    },
    async record(id: string): Promise<Deployment> {
      const d = await store.get(id);
      if (!d) throw new Error(`no deployment ${id}`);
      return d;
    },
    /** Digest behind the alias, digest at $LATEST and the alias's version. */
    /** A weighted split on the alias (at the end of a run there must be none). */
    async aliasSplit() {
      return (await functions.getAliasRouting(FN, 'live'))?.additional ?? null;
    },
    async functionState() {
      const aliasVersion = await functions.getAlias(FN, 'live');
      return {
        aliasVersion,
        aliasDigest: aliasVersion ? functions.digestAt(FN, aliasVersion) : null,
        latestDigest: functions.digestAt(FN, '$LATEST'),
      };
    },
  };
  return world;
}

/** A test world. */
export type World = ReturnType<typeof createWorld>;

/** `registry/repository:tag` of the app repository. */
export function appRef(tag: string): string {
  return `${REGISTRY}/${APP_REPO}:${tag}`;
}

/** A logger keeping the `deployment finalized` lines (what the metric filters count). */
export function finalizedLines() {
  const lines: Record<string, unknown>[] = [];
  const keep = (message: string, data?: Record<string, unknown>) => {
    if (message === 'deployment finalized') lines.push(data ?? {});
  };
  const logger: Logger = { debug() {}, info: keep, warn() {}, error() {} };
  return { lines, logger };
}

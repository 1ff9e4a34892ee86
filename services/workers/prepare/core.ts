import { z } from 'zod';
import { requireAllowedOrigin } from '../../core/allowed-origins.ts';
import { buildOverrides } from '../../core/build-environment.ts';
import type { ColdStartSample } from '../../core/cold-start.ts';
import {
  type Deployment,
  isTerminal,
  type Release,
  type SourceSpec,
} from '../../core/deployment.ts';
import {
  describeError,
  InvalidRequestError,
  LiveImageMissingError,
  NotFoundError,
  TransientError,
} from '../../core/errors.ts';
import { parseImageRef } from '../../core/image-ref.ts';
import { liveColdStarts, liveOf } from '../../core/live.ts';
import { workflowTimeoutSeconds } from '../../core/lock-lifetime.ts';
import type { Architecture, FunctionConfig } from '../../core/ports.ts';
import { planRelease, type ReleasePlan, requireReleaseFits } from '../../core/release-plan.ts';
import type { FunctionSettings } from '../../core/settings.ts';
import { candidateTag, type PrepareResult, releaseTag } from '../../core/workflow.ts';
import type { WorkerDeps } from '../deps.ts';
import { withStep } from '../step-recorder.ts';

/** Prepare's input: the deployment to plan (the ASL passes only its id). */
export const prepareInputSchema = z.object({ deploymentId: z.string().min(1) });

/** Prepare's input. */
export type PrepareInput = z.output<typeof prepareInputSchema>;

/** The ports Prepare uses. */
export type PrepareDeps = Pick<
  WorkerDeps,
  'store' | 'registry' | 'functions' | 'notifier' | 'alarms' | 'clock' | 'logger' | 'options'
>;

/**
 * Plans a deployment: loads it and the function's settings, takes the per-function lock, marks it
 * RUNNING, describes the target (Image package, $LATEST, the version behind the alias), checks the
 * images it runs are still in the registry (else a rollback could not restore them) and returns the
 * plan the rest of the workflow follows. Idempotent for the same deployment (the lock is re-taken).
 */
export async function prepare(input: PrepareInput, deps: PrepareDeps): Promise<PrepareResult> {
  return withStep(
    deps,
    input.deploymentId,
    'Prepare',
    async () => {
      const deployment = await loadDeployment(input.deploymentId, deps);
      const fn = deployment.functionName;
      const settings = await deps.store.getSettings(fn);
      if (!settings) {
        throw new NotFoundError(
          `function ${fn} is not registered with Ferry: register it with PUT /v1/functions/${fn}`,
          { kind: 'function-not-registered' },
        );
      }
      const mode = deployment.request.source ? 'source' : 'image';
      const imageRef = requestedImage(deployment, deps.options.buildRepositoryUri);
      // The rule the API applied when the request came in, again: settings may have changed since.
      requireAllowedOrigin(fn, deployment.request, settings.allowedRepositories);
      let release = await releasePlan(deployment, settings, deps);
      await lockAndStart(deployment, deps);

      const target = await describeTarget(fn, settings.alias, deps);
      await preflight(fn, target, deps);
      const { architecture, latest, live } = target;
      // Nothing live to shift from: the first release takes the alias at once.
      if (!live?.version && release.gradual) {
        release = { ...release, gradual: false, steps: [{ weight: 1, holdSeconds: 0 }] };
      }
      const liveColdStarts = live?.digest ? await liveBaseline(fn, live.digest, deps) : null;
      // A rollback restores an earlier release: judged on its own, not against the one it replaces.
      const enforceGrowth = deployment.trigger.kind !== 'rollback';
      const { revisionId: _, ...latestRelease } = latest;
      const planned = await deps.store.update(deployment.id, {
        previous: live ?? latestRelease,
        team: settings.team,
      });
      await announceStart(planned, deps);
      const source = deployment.request.source;
      return {
        deploymentId: deployment.id,
        functionName: fn,
        architecture,
        alias: settings.alias,
        mode,
        imageRef,
        candidateTag: source ? candidateTag(deployment.id) : null,
        build: source
          ? { environment: buildEnvironment(deployment.id, source, deps, architecture) }
          : null,
        latest,
        live,
        policy: {
          sizeBudgetBytes: settings.sizeBudgetBytes,
          maxGrowthRatio: settings.maxGrowthRatio,
          enforceGrowth,
        },
        smoke: smokePlan(settings, {
          liveColdStarts,
          liveVersion: live?.version ?? null,
          enforceGrowth,
        }),
        releaseTags: [releaseTag(deployment.id)],
        release,
      } satisfies PrepareResult;
    },
    (plan) =>
      `${plan.mode} deploy to ${plan.functionName} (${plan.architecture}); live ${plan.live ? `version ${plan.live.version}` : 'none'}`,
  );
}

/**
 * The release plan, checked to fit the workflow's time limit, with the alarms already in ALARM
 * (a gradual release judges its steps by them; one already firing may be what this release fixes).
 * A named alarm that does not exist fails here, before anything changed.
 */
async function releasePlan(
  deployment: Deployment,
  settings: FunctionSettings,
  deps: PrepareDeps,
): Promise<ReleasePlan> {
  const timings = {
    settleSeconds: deps.options.metricsSettleSeconds,
    provisioningPollSeconds: deps.options.provisioningPollSeconds,
  };
  const plan = planRelease(deployment, settings, timings);
  requireReleaseFits(plan, workflowTimeoutSeconds(deps.options.lockTtlSeconds));
  if (!plan.gradual || plan.alarms.length === 0) return plan;
  const states = await deps.alarms.states(plan.alarms);
  const firing = states.filter((alarm) => alarm.state === 'ALARM').map((alarm) => alarm.name);
  return { ...plan, alarmsAtStart: firing };
}

/**
 * Tells the function's channel (and a Slack requester) that the deployment started. Best-effort:
 * a failed notification never fails a deployment; a retried Prepare sends it once (notifiers
 * deduplicate per deployment and status).
 */
async function announceStart(deployment: Deployment, deps: PrepareDeps): Promise<void> {
  try {
    await deps.notifier.notify({ deployment, status: 'RUNNING', critical: false });
  } catch (error) {
    deps.logger.warn('start notification failed', {
      deploymentId: deployment.id,
      ...describeError(error),
    });
  }
}

async function loadDeployment(id: string, deps: PrepareDeps): Promise<Deployment> {
  const deployment = await deps.store.get(id);
  if (!deployment) throw new NotFoundError(`deployment ${id} not found`);
  if (isTerminal(deployment.status)) {
    throw new InvalidRequestError(
      `deployment ${id} already ended ${deployment.status}: start a new deployment instead`,
    );
  }
  return deployment;
}

/** The reference ResolveImage will resolve: the requested image, or the build's candidate tag. */
function requestedImage(deployment: Deployment, buildRepositoryUri: string): string {
  if (deployment.request.source) return `${buildRepositoryUri}:${candidateTag(deployment.id)}`;
  if (!deployment.request.image) {
    throw new InvalidRequestError(
      `deployment ${deployment.id} names neither an image nor a source: give exactly one`,
    );
  }
  return deployment.request.image;
}

/** Takes the function lock (ConflictError when another deployment holds it), then marks RUNNING. */
async function lockAndStart(deployment: Deployment, deps: PrepareDeps): Promise<void> {
  const nowSeconds = Math.floor(deps.clock.now().getTime() / 1000);
  const { functionName, id } = deployment;
  await deps.store.acquireLock(functionName, id, nowSeconds, deps.options.lockTtlSeconds);
  // A retried Prepare finds the record RUNNING already.
  if (deployment.status === 'PENDING')
    await deps.store.update(id, { status: 'RUNNING' }, 'PENDING');
  deps.logger.info('function locked', { deploymentId: id, functionName });
}

/** The target as Prepare finds it. */
interface Target {
  readonly architecture: Architecture;
  readonly alias: string;
  readonly latest: PrepareResult['latest'];
  readonly live: Release | null;
}

/** Describes $LATEST (must be an Image function, not mid-update) and the version behind the alias. */
async function describeTarget(fn: string, alias: string, deps: PrepareDeps): Promise<Target> {
  const config = await deps.functions.getFunction(fn);
  checkTarget(config);
  const liveVersion = await deps.functions.getAlias(fn, alias);
  return {
    architecture: config.architecture,
    alias,
    latest: { ...releaseOf(config), revisionId: config.revisionId },
    live: liveVersion ? releaseOf(await deps.functions.getFunction(fn, liveVersion)) : null,
  };
}

function checkTarget(config: FunctionConfig): void {
  if (config.packageType !== 'Image') {
    throw new InvalidRequestError(
      `function ${config.functionName} has package type ${config.packageType}; Ferry deploys container images only: use an Image function`,
    );
  }
  if (config.lastUpdateStatus === 'InProgress') {
    throw new TransientError(
      `function ${config.functionName} is being updated by someone else (LastUpdateStatus InProgress): retrying`,
    );
  }
}

/** The release a function configuration runs. */
function releaseOf(config: FunctionConfig): Release {
  const imageUri = config.resolvedImageUri ?? config.imageUri;
  return {
    version: config.version,
    digest: imageUri ? (parseImageRef(imageUri).digest ?? null) : null,
    imageUri,
  };
}

/** Fails up front when an image the function runs is gone: a rollback could not put it back. */
async function preflight(fn: string, target: Target, deps: PrepareDeps): Promise<void> {
  const { alias, live, latest } = target;
  const runBy = new Map<string, string[]>(); // image URI → what runs it
  if (live?.imageUri) runBy.set(live.imageUri, [`alias ${alias} (version ${live.version})`]);
  if (latest.imageUri)
    runBy.set(latest.imageUri, [...(runBy.get(latest.imageUri) ?? []), '$LATEST']);
  for (const [uri, by] of runBy) {
    const { repository, digest } = parseImageRef(uri);
    if (!digest || (await deps.registry.hasImage(repository, digest))) continue;
    throw new LiveImageMissingError(
      `image ${uri}, which function ${fn} runs at ${by.join(' and ')}, is no longer in repository ${repository}, so a rollback could not restore it: re-push that image under any tag, or deploy by hand outside Ferry`,
    );
  }
}

/**
 * The live release's recorded cold starts, from the function's live record when that names the
 * digest the alias serves (an alias moved outside Ferry has no recorded baseline).
 */
async function liveBaseline(
  fn: string,
  digest: string,
  deps: PrepareDeps,
): Promise<ColdStartSample | null> {
  const live = await liveOf(deps.store, fn);
  return live?.digest === digest ? liveColdStarts(live) : null;
}

/** CodeBuild environment overrides: request values travel only here, never in shell text. */
function buildEnvironment(
  id: string,
  source: SourceSpec,
  deps: PrepareDeps,
  architecture: Architecture,
): NonNullable<PrepareResult['build']>['environment'] {
  // Refuses, before a build starts, a value the build script would refuse later.
  return buildOverrides({
    FERRY_DEPLOYMENT_ID: id,
    FERRY_SOURCE_URL: source.url,
    FERRY_SOURCE_REF: source.ref ?? '',
    FERRY_DOCKERFILE: source.dockerfile ?? 'Dockerfile',
    FERRY_CONTEXT: source.context ?? '.',
    FERRY_BUILD_ARGS: source.buildArgs ?? {},
    FERRY_IMAGE_REPOSITORY: deps.options.buildRepositoryUri,
    FERRY_IMAGE_TAG: candidateTag(id),
    FERRY_PLATFORM: architecture === 'arm64' ? 'linux/arm64' : 'linux/amd64',
  });
}

/** What the smoke needs to know about the live release and the kind of deployment. */
interface SmokeBaseline {
  readonly liveColdStarts: ColdStartSample | null;
  readonly liveVersion: string | null;
  readonly enforceGrowth: boolean;
}

function smokePlan(settings: FunctionSettings, baseline: SmokeBaseline): PrepareResult['smoke'] {
  const { smoke, coldStart } = settings;
  return {
    payload: smoke.payload ?? {},
    ...(smoke.expectStatusCode !== undefined ? { expectStatusCode: smoke.expectStatusCode } : {}),
    ...(smoke.expectJsonSubset !== undefined ? { expectJsonSubset: smoke.expectJsonSubset } : {}),
    // null (turned off) or absent (settings stored before the default) → the gate is off.
    ...(typeof coldStart.maxInitGrowthRatio === 'number'
      ? { maxInitGrowthRatio: coldStart.maxInitGrowthRatio }
      : {}),
    minInitDeltaMs: coldStart.minInitDeltaMs,
    liveInitDurationMs: baseline.liveColdStarts?.medianMs ?? null,
    samples: coldStart.samples,
    inconclusiveBlocks: coldStart.inconclusiveBlocks,
    ...baseline,
  };
}

import { describe, expect, it } from 'vitest';
import { FakeAlarms } from '../../../test/fakes/fake-alarms.ts';
import { FakeFunctions } from '../../../test/fakes/fake-functions.ts';
import { FakeRegistry } from '../../../test/fakes/fake-registry.ts';
import { ManualClock } from '../../../test/fakes/manual-clock.ts';
import { MemoryStore } from '../../../test/fakes/memory-store.ts';
import { RecordingNotifier } from '../../../test/fakes/recording-notifier.ts';
import { sampleOf } from '../../core/cold-start.ts';
import type { Deployment, SmokeReport } from '../../core/deployment.ts';
import { silentLogger } from '../../core/logger.ts';
import type { Architecture } from '../../core/ports.ts';
import { type FunctionSettingsInput, parseFunctionSettings } from '../../core/settings.ts';
import { type PrepareDeps, prepare } from './core.ts';

const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const BUILD_REPOSITORY = `${REGISTRY}/ferry-builds`;
const ID = 'd-01JDQ4Z9X8M2N3P4Q5R6S7T8V9';
const OTHER_ID = 'd-01JDQ4Z9X8M2N3P4Q5R6S7T8VA';

interface SetupOptions {
  readonly architecture?: Architecture;
  readonly alias?: string | null;
  readonly packageType?: 'Image' | 'Zip';
  readonly settings?: Partial<FunctionSettingsInput> | null;
  readonly deployment?: Partial<Deployment>;
}

function aDeployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: ID,
    functionName: 'api',
    status: 'PENDING',
    createdAt: '2026-11-28T11:59:00.000Z',
    updatedAt: '2026-11-28T11:59:00.000Z',
    trigger: { kind: 'api', actor: 'alice' },
    request: { image: `${REGISTRY}/team/api:v2` },
    steps: [],
    ...overrides,
  };
}

function aSmoke(initDurationMs: number | null): SmokeReport {
  return {
    passed: true,
    statusCode: 200,
    responseExcerpt: '{"ok":true}',
    initDurationMs,
    durationMs: 12,
    maxMemoryUsedMb: 64,
  };
}

async function setup(options: SetupOptions = {}) {
  const store = new MemoryStore();
  const registry = new FakeRegistry();
  const functions = new FakeFunctions();
  const clock = new ManualClock();
  const liveDigest = registry.pushImage('team/api', 'v1', { label: 'v1' });
  const liveUri = `${REGISTRY}/team/api@${liveDigest}`;
  functions.createFunction('api', liveUri, {
    architecture: options.architecture ?? 'x86_64',
    alias: options.alias === undefined ? 'live' : options.alias,
    packageType: options.packageType ?? 'Image',
  });
  if (options.settings !== null) {
    store.settings.set('api', parseFunctionSettings({ team: 'payments', ...options.settings }));
  }
  await store.create(aDeployment(options.deployment));
  const notifier = new RecordingNotifier();
  const deps: PrepareDeps = {
    store,
    registry,
    functions,
    notifier,
    alarms: new FakeAlarms(),
    clock,
    logger: silentLogger,
    options: {
      lockTtlSeconds: 87_000,
      updateMaxWaitSeconds: 60,
      metricsSettleSeconds: 0,
      provisioningPollSeconds: 1,
      buildRepositoryUri: BUILD_REPOSITORY,
    },
  };
  return { store, registry, functions, notifier, clock, deps, liveDigest, liveUri };
}

describe('prepare', () => {
  it('plans an image deployment from the deployment, the settings and the target', async () => {
    // Prepare
    const { deps, liveDigest, liveUri } = await setup({
      settings: {
        smoke: { payload: { ping: 1 }, expectStatusCode: 200 },
        sizeBudgetBytes: 100_000_000,
        maxGrowthRatio: 2,
        coldStart: { maxInitGrowthRatio: 1.3, minInitDeltaMs: 40 },
      },
    });

    // Act
    const plan = await prepare({ deploymentId: ID }, deps);

    // Assess
    expect(plan).toEqual({
      deploymentId: ID,
      functionName: 'api',
      architecture: 'x86_64',
      alias: 'live',
      mode: 'image',
      imageRef: `${REGISTRY}/team/api:v2`,
      candidateTag: null,
      build: null,
      latest: { version: '$LATEST', digest: liveDigest, imageUri: liveUri, revisionId: 'rev-1' },
      live: { version: '1', digest: liveDigest, imageUri: liveUri },
      policy: { sizeBudgetBytes: 100_000_000, maxGrowthRatio: 2, enforceGrowth: true },
      smoke: {
        payload: { ping: 1 },
        expectStatusCode: 200,
        maxInitGrowthRatio: 1.3,
        minInitDeltaMs: 40,
        liveInitDurationMs: null,
        samples: 5,
        inconclusiveBlocks: false,
        liveColdStarts: null,
        liveVersion: '1',
        enforceGrowth: true,
      },
      releaseTags: [`ferry-release-${ID}`],
      release: expect.objectContaining({
        strategy: { strategy: 'all-at-once' },
        steps: [{ weight: 1, holdSeconds: 0 }],
        gradual: false,
        approval: false,
        provisionedConcurrency: 0,
      }),
    });
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  describe('the release plan', () => {
    const CANARY = { strategy: 'canary', percent: 10, intervalSeconds: 60 } as const;

    it('takes the function’s strategy, and a deployment’s own over it', async () => {
      const fromSettings = await setup({ settings: { release: 'Linear10PercentEvery1Minute' } });
      const plan = await prepare({ deploymentId: ID }, fromSettings.deps);
      expect(plan.release.strategy).toEqual({
        strategy: 'linear',
        percent: 10,
        intervalSeconds: 60,
      });
      expect(plan.release.steps).toHaveLength(10);
      expect(plan.release.gradual).toBe(true);

      const overridden = await setup({
        settings: { release: 'Linear10PercentEvery1Minute' },
        deployment: { request: { image: `${REGISTRY}/team/api:v2`, release: CANARY } },
      });
      const own = await prepare({ deploymentId: ID }, overridden.deps);
      expect(own.release.strategy).toEqual(CANARY);
      expect(own.release.steps).toEqual([
        { weight: 0.1, holdSeconds: 60 },
        { weight: 1, holdSeconds: 0 },
      ]);
    });

    it('releases a rollback at once and without approval, whatever the settings', async () => {
      const { deps } = await setup({
        settings: { release: CANARY, approval: { required: true } },
        deployment: { trigger: { kind: 'rollback', actor: 'alice' } },
      });
      const plan = await prepare({ deploymentId: ID }, deps);
      expect(plan.release).toMatchObject({ gradual: false, approval: false });
    });

    it('takes the alias at once when nothing is live to shift from', async () => {
      const { deps } = await setup({ alias: null, settings: { release: CANARY } });
      const plan = await prepare({ deploymentId: ID }, deps);
      expect(plan.release).toMatchObject({
        gradual: false,
        steps: [{ weight: 1, holdSeconds: 0 }],
      });
    });

    it('records the named alarms already in ALARM; a missing one fails before the lock', async () => {
      const { deps } = await setup({
        settings: { release: CANARY, judge: { alarms: ['a-ok', 'a-firing'] } },
      });
      const alarms = deps.alarms as FakeAlarms;
      alarms.set('a-ok', 'OK');
      alarms.set('a-firing', 'ALARM');
      const plan = await prepare({ deploymentId: ID }, deps);
      expect(plan.release.alarmsAtStart).toEqual(['a-firing']);

      const missing = await setup({ settings: { release: CANARY, judge: { alarms: ['gone'] } } });
      await expect(prepare({ deploymentId: ID }, missing.deps)).rejects.toMatchObject({
        name: 'NotFoundError',
      });
      expect(await missing.store.getLock('api')).toBeNull();
    });

    it('refuses a release that could outlast the workflow, naming the field', async () => {
      const { deps, store } = await setup({
        settings: { release: { strategy: 'linear', percent: 1, intervalSeconds: 3600 } },
      });
      await expect(prepare({ deploymentId: ID }, deps)).rejects.toMatchObject({
        name: 'InvalidRequestError',
        field: 'release',
      });
      expect(await store.getLock('api')).toBeNull();
    });
  });

  it('plans the default cold-start gate, and none when the settings turn it off', async () => {
    const byDefault = await setup();
    expect((await prepare({ deploymentId: ID }, byDefault.deps)).smoke).toMatchObject({
      maxInitGrowthRatio: 1.5,
      minInitDeltaMs: 100,
    });
    const off = await setup({ settings: { coldStart: { maxInitGrowthRatio: null } } });
    const plan = await prepare({ deploymentId: ID }, off.deps);
    expect(plan.smoke).not.toHaveProperty('maxInitGrowthRatio');
    expect(plan.smoke.minInitDeltaMs).toBe(100);
  });

  it('plans a source build with exact environment variables, the candidate tag and the arm64 platform', async () => {
    // Prepare
    const { deps } = await setup({
      architecture: 'arm64',
      deployment: {
        request: {
          source: {
            url: 'https://github.com/acme/api.git',
            ref: 'v2.0.0',
            dockerfile: 'docker/Lambda.Dockerfile',
            context: 'services/api',
            buildArgs: { NODE_ENV: 'production', QUOTE: `it's "$(rm -rf /)"` },
          },
        },
      },
    });

    // Act
    const plan = await prepare({ deploymentId: ID }, deps);

    // Assess
    expect(plan.mode).toBe('source');
    expect(plan.architecture).toBe('arm64');
    expect(plan.candidateTag).toBe(`ferry-candidate-${ID}`);
    expect(plan.imageRef).toBe(`${BUILD_REPOSITORY}:ferry-candidate-${ID}`);
    expect(plan.build?.environment).toEqual([
      { Name: 'FERRY_DEPLOYMENT_ID', Value: ID, Type: 'PLAINTEXT' },
      { Name: 'FERRY_SOURCE_URL', Value: 'https://github.com/acme/api.git', Type: 'PLAINTEXT' },
      { Name: 'FERRY_SOURCE_REF', Value: 'v2.0.0', Type: 'PLAINTEXT' },
      { Name: 'FERRY_DOCKERFILE', Value: 'docker/Lambda.Dockerfile', Type: 'PLAINTEXT' },
      { Name: 'FERRY_CONTEXT', Value: 'services/api', Type: 'PLAINTEXT' },
      {
        Name: 'FERRY_BUILD_ARGS',
        Value: JSON.stringify({ NODE_ENV: 'production', QUOTE: `it's "$(rm -rf /)"` }),
        Type: 'PLAINTEXT',
      },
      { Name: 'FERRY_IMAGE_REPOSITORY', Value: BUILD_REPOSITORY, Type: 'PLAINTEXT' },
      { Name: 'FERRY_IMAGE_TAG', Value: `ferry-candidate-${ID}`, Type: 'PLAINTEXT' },
      { Name: 'FERRY_PLATFORM', Value: 'linux/arm64', Type: 'PLAINTEXT' },
    ]);
  });

  it('fills source defaults and the amd64 platform for an x86_64 function', async () => {
    // Prepare
    const { deps } = await setup({
      deployment: { request: { source: { url: 's3://bucket/api.zip' } } },
    });

    // Act
    const plan = await prepare({ deploymentId: ID }, deps);

    // Assess
    const env = Object.fromEntries((plan.build?.environment ?? []).map((v) => [v.Name, v.Value]));
    expect(env).toMatchObject({
      FERRY_SOURCE_REF: '',
      FERRY_DOCKERFILE: 'Dockerfile',
      FERRY_CONTEXT: '.',
      FERRY_BUILD_ARGS: '{}',
      FERRY_PLATFORM: 'linux/amd64',
    });
  });

  it('throws InvalidRequestError naming the variable when a source value would fail the build', async () => {
    // Prepare: a context the API lets through, but that the build script would read as an option
    const { deps } = await setup({
      deployment: { request: { source: { url: 's3://bucket/api.zip', context: '-rf' } } },
    });

    // Act / Assess
    await expect(prepare({ deploymentId: ID }, deps)).rejects.toMatchObject({
      name: 'InvalidRequestError',
      message: expect.stringMatching(
        /^invalid build environment: FERRY_CONTEXT must be a relative/,
      ),
    });
  });

  it('takes the lock, marks the deployment RUNNING and records the previous release and the team', async () => {
    // Prepare
    const { deps, store, clock, liveDigest, liveUri } = await setup();

    // Act
    await prepare({ deploymentId: ID }, deps);

    // Assess
    const lock = await store.getLock('api');
    expect(lock?.owner).toBe(ID);
    expect(lock?.expiresAt).toBeGreaterThan(Math.floor(clock.now().getTime() / 1000) + 5000);
    const deployment = await store.get(ID);
    expect(deployment?.status).toBe('RUNNING');
    expect(deployment?.team).toBe('payments');
    expect(deployment?.previous).toEqual({ version: '1', digest: liveDigest, imageUri: liveUri });
  });

  it('announces the start once it knows what is live, and a failed announcement changes nothing', async () => {
    const { deps, notifier, liveDigest } = await setup();
    await prepare({ deploymentId: ID }, deps);
    expect(notifier.sent).toHaveLength(1);
    expect(notifier.sent[0]).toMatchObject({
      status: 'RUNNING',
      critical: false,
      deployment: { id: ID, status: 'RUNNING', previous: { digest: liveDigest } },
    });

    const failing = await setup();
    failing.deps = {
      ...failing.deps,
      notifier: {
        notify: async () => {
          throw new Error('slack is down');
        },
      },
    };
    await expect(prepare({ deploymentId: ID }, failing.deps)).resolves.toMatchObject({
      deploymentId: ID,
    });
    expect((await failing.store.get(ID))?.status).toBe('RUNNING');
  });

  it('records the Prepare step with its timings and attempts', async () => {
    // Prepare
    const { deps, store } = await setup();

    // Act
    await prepare({ deploymentId: ID }, deps);

    // Assess
    const steps = (await store.get(ID))?.steps ?? [];
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ name: 'Prepare', outcome: 'succeeded', attempts: 1 });
    expect(steps[0]?.detail).toContain('image deploy to api');
    expect(steps[0]?.endedAt && steps[0].endedAt > steps[0].startedAt).toBe(true);
  });

  it('throws NotFoundError when the function is not registered with Ferry', async () => {
    // Prepare
    const { deps, store } = await setup({ settings: null });

    // Act & Assess
    await expect(prepare({ deploymentId: ID }, deps)).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('PUT /v1/functions/api'),
    });
    expect(await store.getLock('api')).toBeNull();
  });

  it('throws NotFoundError when the deployment does not exist', async () => {
    // Prepare
    const { deps } = await setup();

    // Act & Assess
    await expect(prepare({ deploymentId: OTHER_ID }, deps)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it('throws InvalidRequestError when the deployment already ended', async () => {
    // Prepare
    const { deps } = await setup({ deployment: { status: 'SUCCEEDED' } });

    // Act & Assess
    await expect(prepare({ deploymentId: ID }, deps)).rejects.toMatchObject({
      name: 'InvalidRequestError',
      message: expect.stringContaining('already ended SUCCEEDED'),
    });
  });

  it('throws InvalidRequestError for a Zip function', async () => {
    // Prepare
    const { deps } = await setup({ packageType: 'Zip' });

    // Act & Assess
    await expect(prepare({ deploymentId: ID }, deps)).rejects.toMatchObject({
      name: 'InvalidRequestError',
      message: expect.stringContaining('package type Zip'),
    });
  });

  it('throws TransientError while someone else is updating the function', async () => {
    // Prepare
    const { deps, functions } = await setup();
    const fn = functions.functions.get('api');
    if (fn) fn.latest.lastUpdateStatus = 'InProgress';

    // Act & Assess
    await expect(prepare({ deploymentId: ID }, deps)).rejects.toMatchObject({
      name: 'TransientError',
    });
  });

  it('throws ConflictError and leaves the deployment PENDING when another deployment holds the lock', async () => {
    // Prepare
    const { deps, store, clock } = await setup();
    const nowSeconds = Math.floor(clock.now().getTime() / 1000);
    await store.acquireLock('api', OTHER_ID, nowSeconds, 600);

    // Act & Assess
    await expect(prepare({ deploymentId: ID }, deps)).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(OTHER_ID),
    });
    const deployment = await store.get(ID);
    expect(deployment?.status).toBe('PENDING');
    expect(deployment?.steps[0]).toMatchObject({ name: 'Prepare', outcome: 'failed', attempts: 1 });
    expect((await store.getLock('api'))?.owner).toBe(OTHER_ID);
  });

  it('re-takes its own lock when retried by the same deployment', async () => {
    // Prepare
    const { deps, store, clock } = await setup();
    await prepare({ deploymentId: ID }, deps);
    const first = await store.getLock('api');
    clock.advance(60_000);

    // Act
    const plan = await prepare({ deploymentId: ID }, deps);

    // Assess
    expect(plan.functionName).toBe('api');
    const lock = await store.getLock('api');
    expect(lock?.owner).toBe(ID);
    expect(lock?.expiresAt).toBeGreaterThan(first?.expiresAt ?? Number.POSITIVE_INFINITY);
    const deployment = await store.get(ID);
    expect(deployment?.status).toBe('RUNNING');
    expect(deployment?.steps[0]).toMatchObject({ name: 'Prepare', attempts: 2 });
  });

  it('throws LiveImageMissingError before changing the function when the live image is gone', async () => {
    // Prepare
    const { deps, registry, functions, liveDigest } = await setup();
    registry.deleteImage('team/api', liveDigest);
    const before = await functions.getFunction('api');

    // Act & Assess
    await expect(prepare({ deploymentId: ID }, deps)).rejects.toMatchObject({
      name: 'LiveImageMissingError',
      message: expect.stringMatching(/alias live \(version 1\).*rollback could not restore it/),
    });
    expect(await functions.getFunction('api')).toEqual(before);
    expect(functions.digestAt('api', 'live')).toBe(liveDigest);
  });

  it('plans with no live release when the alias does not exist yet', async () => {
    // Prepare
    const { deps, store, liveDigest, liveUri } = await setup({ alias: null });

    // Act
    const plan = await prepare({ deploymentId: ID }, deps);

    // Assess
    expect(plan.live).toBeNull();
    expect(plan.smoke.liveInitDurationMs).toBeNull();
    expect((await store.get(ID))?.previous).toEqual({
      version: '$LATEST',
      digest: liveDigest,
      imageUri: liveUri,
    });
  });

  it('throws AccessDeniedError without taking the lock when the repository is not allowed', async () => {
    // Prepare
    const { deps, store } = await setup({ settings: { allowedRepositories: ['team/web'] } });

    // Act & Assess
    await expect(prepare({ deploymentId: ID }, deps)).rejects.toMatchObject({
      name: 'AccessDeniedError',
      message: expect.stringContaining('team/api'),
    });
    expect(await store.getLock('api')).toBeNull();
    expect((await store.get(ID))?.status).toBe('PENDING');
  });

  it('accepts an allowed repository named with or without its registry, and a source by its URL', async () => {
    // Prepare
    const bare = await setup({ settings: { allowedRepositories: ['team/api'] } });
    const full = await setup({ settings: { allowedRepositories: [`${REGISTRY}/team/api`] } });
    const build = await setup({
      settings: { allowedRepositories: ['github.com/acme/*'] },
      deployment: { request: { source: { url: 'https://github.com/acme/api.git' } } },
    });

    // Act & Assess
    await expect(prepare({ deploymentId: ID }, bare.deps)).resolves.toMatchObject({
      mode: 'image',
    });
    await expect(prepare({ deploymentId: ID }, full.deps)).resolves.toMatchObject({
      mode: 'image',
    });
    await expect(prepare({ deploymentId: ID }, build.deps)).resolves.toMatchObject({
      mode: 'source',
    });
  });

  it('takes the live Init Duration from the live record when it names the digest the alias serves', async () => {
    // Prepare
    const { deps, store, liveDigest } = await setup();
    const live = {
      functionName: 'api',
      deploymentId: 'd-01JDQ00000000000000000000B',
      version: '1',
      digest: liveDigest,
      imageUri: `${REGISTRY}/team/api@${liveDigest}`,
      releasedAt: '2026-11-02T00:00:00.000Z',
      compressedBytes: 1000,
      initDurationMs: 240,
    };
    await store.putLive(live);
    // A history that says otherwise is not read: the record is what is live.
    await store.create(
      aDeployment({
        id: 'd-01JDQ00000000000000000000C',
        createdAt: '2026-11-03T00:00:00.000Z',
        status: 'SUCCEEDED',
        release: { version: '1', digest: liveDigest, imageUri: live.imageUri },
        smoke: aSmoke(900),
      }),
    );

    // Act
    const plan = await prepare({ deploymentId: ID }, deps);

    // Assess
    expect(plan.smoke.liveInitDurationMs).toBe(240);
    // A record from before samples were taken: its one figure is a sample of one.
    expect(plan.smoke.liveColdStarts).toMatchObject({ n: 1, medianMs: 240 });
  });

  it('plans the live record’s cold starts as the recorded baseline, and the live version to pair', async () => {
    const { deps, store, liveDigest } = await setup({
      settings: { coldStart: { samples: 7, inconclusiveBlocks: true } },
    });
    const coldStart = sampleOf([40, 42, 39, 41, 40]);
    await store.putLive({
      functionName: 'api',
      deploymentId: 'd-01JDQ00000000000000000000B',
      version: '1',
      digest: liveDigest,
      imageUri: `${REGISTRY}/team/api@${liveDigest}`,
      releasedAt: '2026-11-02T00:00:00.000Z',
      compressedBytes: 1000,
      initDurationMs: 40,
      coldStart,
    });

    const plan = await prepare({ deploymentId: ID }, deps);

    expect(plan.smoke).toMatchObject({
      liveColdStarts: coldStart,
      liveInitDurationMs: 40,
      liveVersion: '1',
      samples: 7,
      inconclusiveBlocks: true,
      enforceGrowth: true,
    });
  });

  it('plans a rollback with growth gates that report but do not block', async () => {
    const { deps } = await setup({
      deployment: { trigger: { kind: 'rollback', actor: 'arn:aws:iam::123456789012:role/ci' } },
    });

    const plan = await prepare({ deploymentId: ID }, deps);

    expect(plan.policy.enforceGrowth).toBe(false);
    expect(plan.smoke.enforceGrowth).toBe(false);
  });

  it('has no cold-start baseline when the alias serves another digest than the live record', async () => {
    // Prepare: someone pointed the alias elsewhere outside Ferry.
    const { deps, store } = await setup();
    await store.putLive({
      functionName: 'api',
      deploymentId: 'd-01JDQ00000000000000000000B',
      version: '7',
      digest: `sha256:${'e'.repeat(64)}`,
      imageUri: `${REGISTRY}/team/api@sha256:${'e'.repeat(64)}`,
      releasedAt: null,
      compressedBytes: null,
      initDurationMs: 50,
    });

    // Act
    const plan = await prepare({ deploymentId: ID }, deps);

    // Assess
    expect(plan.smoke.liveInitDurationMs).toBeNull();
  });

  it('falls back to the history for a function released before live records existed', async () => {
    // Prepare
    const { deps, store, liveDigest } = await setup();
    const imageUri = `${REGISTRY}/team/api@${liveDigest}`;
    await store.create(
      aDeployment({
        id: 'd-01JDQ00000000000000000000A',
        createdAt: '2026-11-01T00:00:00.000Z',
        status: 'SUCCEEDED',
        release: { version: '1', digest: liveDigest, imageUri },
        smoke: aSmoke(310),
      }),
    );

    // Act
    const plan = await prepare({ deploymentId: ID }, deps);

    // Assess
    expect(plan.smoke.liveInitDurationMs).toBe(310);
  });
});

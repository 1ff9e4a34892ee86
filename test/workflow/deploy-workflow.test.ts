/**
 * The real statemachine/deploy.asl.json, executed by aws-local-stepfunctions with every worker
 * core bound to in-memory fakes. Each case asserts the function's final state, the record and the lock.
 */
import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../services/core/deployment.ts';
import { releaseTag } from '../../services/core/workflow.ts';
import { FaultInjector } from './faults.ts';
import { APP_REPO, appRef, BUILD_REPO, createWorld, FN, type World } from './world.ts';

const MiB = 1024 * 1024;

function stepNames(d: Deployment): string[] {
  return d.steps.map((s) => s.name);
}

async function expectLockReleased(world: World) {
  expect(await world.store.getLock(FN)).toBeNull();
}

/** Traffic and $LATEST are back on the live release (a smoked version may remain, unused). */
async function expectRestored(world: World) {
  const state = await world.functionState();
  expect(state).toEqual({
    aliasVersion: '1',
    aliasDigest: world.liveDigest,
    latestDigest: world.liveDigest,
  });
}

/** Nothing about the function changed: not even a version was published. */
async function expectUntouched(world: World) {
  await expectRestored(world);
  expect(world.functions.functions.get(FN)?.versions.size).toBe(1);
}

/** Records every version the alias is pointed at from now on. */
function trackAliasMoves(world: World): string[] {
  const moves: string[] = [];
  const setAlias = world.functions.setAlias.bind(world.functions);
  world.functions.setAlias = async (name, alias, version) => {
    moves.push(version);
    return setAlias(name, alias, version);
  };
  return moves;
}

function expectStepsTimed(d: Deployment) {
  for (const step of d.steps) {
    expect(step.endedAt, `${step.name} has ended`).toBeDefined();
    expect(Date.parse(step.endedAt as string)).toBeGreaterThanOrEqual(Date.parse(step.startedAt));
  }
}

describe('Workflow: deploy.asl.json', () => {
  it('releases an image by digest: new version smoked, then the alias moves', async () => {
    const world = createWorld();
    const digest = world.pushApp('v2');
    const id = await world.request({ image: appRef('v2'), reason: 'ship v2' });

    const outcome = await world.run(id);

    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.path).not.toContain('Build');
    expect(await world.functionState()).toEqual({
      aliasVersion: '2',
      aliasDigest: digest,
      latestDigest: digest,
    });
    expect(world.functions.digestAt(FN, '1')).toBe(world.liveDigest);
    const d = await world.record(id);
    expect(d.status).toBe('SUCCEEDED');
    expect(d.reason).toBeUndefined();
    expect(stepNames(d)).toEqual([
      'Prepare',
      'ResolveImage',
      'ScanImage',
      'Promote',
      'UpdateFunction',
      'SmokeInvoke',
      'Activate',
      'Finalize',
    ]);
    expectStepsTimed(d);
    expect(d.previous).toMatchObject({ version: '1', digest: world.liveDigest });
    expect(d.release).toMatchObject({ version: '2', digest });
    expect(d.smoke).toMatchObject({ passed: true, initDurationMs: 150 });
    expect(d.scan).toMatchObject({ verdict: 'pass', layerCount: 1 });
    expect(world.registry.tagsOf(APP_REPO, digest)).toContain(releaseTag(id));
    expect(world.notifier.sent.map((n) => n.status)).toContain('SUCCEEDED');
    await expectLockReleased(world);
  });

  it('builds from source with request values only in environment variables, then releases the candidate', async () => {
    const world = createWorld();
    const id = await world.request({
      source: {
        url: 'https://git.example.com/acme/orders.git',
        ref: 'main',
        buildArgs: { NODE_ENV: 'production' },
      },
    });

    const outcome = await world.run(id);

    expect(outcome.status).toBe('SUCCEEDED');
    expect(world.builds).toHaveLength(1);
    const build = world.builds[0];
    expect(build?.ProjectName).toBe('ferry-build-x86_64');
    const env = Object.fromEntries(
      build?.EnvironmentVariablesOverride.map((v) => [v.Name, v.Value]) ?? [],
    );
    expect(env).toMatchObject({
      FERRY_SOURCE_URL: 'https://git.example.com/acme/orders.git',
      FERRY_SOURCE_REF: 'main',
      FERRY_BUILD_ARGS: JSON.stringify({ NODE_ENV: 'production' }),
      FERRY_IMAGE_TAG: `ferry-candidate-${id}`,
      FERRY_PLATFORM: 'linux/amd64',
    });
    const candidate = await world.registry.getManifest(BUILD_REPO, releaseTag(id));
    // The candidate tag is gone; the release tag holds the image.
    expect(world.registry.tagsOf(BUILD_REPO, candidate.digest)).toEqual([releaseTag(id)]);
    expect(await world.functionState()).toEqual({
      aliasVersion: '2',
      aliasDigest: candidate.digest,
      latestDigest: candidate.digest,
    });
    const d = await world.record(id);
    expect(stepNames(d).slice(0, 3)).toEqual(['Prepare', 'Build', 'ResolveImage']);
    expectStepsTimed(d);
    expect(d.buildLogsUrl).toMatch(/^https:\/\//);
    await expectLockReleased(world);
  });

  it('builds an arm64 function on the arm64 project for linux/arm64', async () => {
    const world = createWorld({ architecture: 'arm64' });
    const id = await world.request({ source: { url: 'https://git.example.com/acme/orders.git' } });

    const outcome = await world.run(id);

    expect(outcome.status).toBe('SUCCEEDED');
    expect(world.builds[0]?.ProjectName).toBe('ferry-build-arm64');
    expect(world.builds[0]?.EnvironmentVariablesOverride).toContainEqual({
      Name: 'FERRY_PLATFORM',
      Value: 'linux/arm64',
      Type: 'PLAINTEXT',
    });
  });

  it('rejects an image over the size budget: function untouched, candidate tag deleted', async () => {
    const world = createWorld();
    world.planBuild({
      image: {
        layers: [{ sizeBytes: 300 * MiB, createdBy: 'RUN apt-get install -y build-essential' }],
      },
    });
    const id = await world.request({ source: { url: 'https://git.example.com/acme/orders.git' } });

    const outcome = await world.run(id);

    expect(outcome).toMatchObject({ status: 'FAILED', error: 'REJECTED' });
    await expectUntouched(world);
    const d = await world.record(id);
    expect(d.status).toBe('REJECTED');
    expect(d.reason).toMatch(/300\.0 MiB.*250\.0 MiB/);
    expect(d.scan?.largestLayers[0]?.createdBy).toContain('apt-get install');
    expect(stepNames(d)).not.toContain('UpdateFunction');
    await expect(
      world.registry.getManifest(BUILD_REPO, `ferry-candidate-${id}`),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expectLockReleased(world);
  });

  it('rejects growth over the ratio against the live release', async () => {
    const world = createWorld({ settings: { maxGrowthRatio: 1.2 } });
    world.pushApp('fat', { layers: [{ sizeBytes: 60_000_000, createdBy: 'COPY . /var/task' }] });
    const id = await world.request({ image: appRef('fat') });

    const outcome = await world.run(id);

    expect(outcome.error).toBe('REJECTED');
    const d = await world.record(id);
    expect(d.reason).toMatch(/1\.50/);
    expect(d.scan?.gates).toContainEqual(
      expect.objectContaining({
        gate: 'size-growth',
        outcome: 'failed',
        value: 60_000_000,
        live: 40_000_000,
        ratio: 1.5,
        delta: 20_000_000,
        maxRatio: 1.2,
      }),
    );
    await expectUntouched(world);
  });

  it('rejects a working version whose cold start grew beyond the gate: alias untouched, $LATEST restored', async () => {
    // Prepare: the live release recorded five 200 ms cold starts; v2's are 900 ms.
    const world = createWorld({
      settings: { coldStart: { maxInitGrowthRatio: 1.5, minInitDeltaMs: 50 } },
    });
    await world.recordLiveInit(200, [200, 200, 200, 200, 200]);
    const digest = world.pushApp('v2');
    world.functions.behaviors.set(digest, () => ({ payload: { ok: true }, initDurationMs: 900 }));
    const aliasMoves = trackAliasMoves(world);
    const id = await world.request({ image: appRef('v2') });

    // Act
    const outcome = await world.run(id);

    // Assess
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'REJECTED' });
    expect(outcome.path).toEqual(
      expect.arrayContaining(['Rollback', 'RollbackOutcome', 'MarkRejected']),
    );
    expect(aliasMoves).toEqual([]);
    await expectRestored(world);
    // The smoked version stays published (as after a failed smoke), unused by traffic.
    expect(world.functions.digestAt(FN, '2')).toBe(digest);
    const d = await world.record(id);
    expect(d.status).toBe('REJECTED');
    expect(d.reason).toMatch(
      /init-growth gate failed: median Init Duration 900\.0 ms \(IQR 900\.0–900\.0, n=5\) vs live 200\.0 ms \(IQR 200\.0–200\.0, n=5, recorded\): 4\.50×, \+700\.0 ms, limit 1\.5× beyond a 50 ms noise floor/,
    );
    expect(d.smoke).toMatchObject({ passed: false, verdict: 'reject', initDurationMs: 900 });
    expect(d.smoke?.coldStarts).toMatchObject({ n: 5, medianMs: 900 });
    expect(d.smoke?.gates).toEqual([
      expect.objectContaining({
        gate: 'init-growth',
        outcome: 'failed',
        value: 900,
        live: 200,
        ratio: 4.5,
        delta: 700,
        maxRatio: 1.5,
        minDelta: 50,
      }),
    ]);
    expect(stepNames(d)).toEqual(expect.arrayContaining(['SmokeInvoke', 'Rollback', 'Finalize']));
    expect(stepNames(d)).not.toContain('Activate');
    expect(world.notifier.sent.map((n) => n.status)).toEqual(['RUNNING', 'REJECTED']);
    await expectLockReleased(world);
  });

  it('releases a version whose cold start grew within the noise floor', async () => {
    const world = createWorld({
      settings: { coldStart: { maxInitGrowthRatio: 1.5, minInitDeltaMs: 50 } },
    });
    await world.recordLiveInit(20);
    const digest = world.pushApp('v2');
    world.functions.behaviors.set(digest, () => ({ payload: { ok: true }, initDurationMs: 60 }));
    const id = await world.request({ image: appRef('v2') });

    const outcome = await world.run(id);

    expect(outcome.status).toBe('SUCCEEDED');
    expect((await world.record(id)).smoke?.gates?.[0]).toMatchObject({
      outcome: 'passed',
      ratio: 3,
      delta: 40,
    });
  });

  it('releases without evaluating the cold-start gate when the live release has no recorded Init Duration, and says so', async () => {
    const world = createWorld({ settings: { coldStart: { maxInitGrowthRatio: 1.1 } } });
    const digest = world.pushApp('v2');
    world.functions.behaviors.set(digest, () => ({ payload: { ok: true }, initDurationMs: 5000 }));
    const id = await world.request({ image: appRef('v2') });

    const outcome = await world.run(id);

    expect(outcome.status).toBe('SUCCEEDED');
    const gate = (await world.record(id)).smoke?.gates?.[0];
    expect(gate).toMatchObject({ outcome: 'not-evaluated', value: 5000, live: null });
    expect(gate?.summary).toMatch(/the live release has no recorded Init Duration/);
  });

  it('fails a broken build before anything changes and releases the lock', async () => {
    const world = createWorld();
    world.planBuild({ fail: true });
    const id = await world.request({ source: { url: 'https://git.example.com/acme/orders.git' } });

    const outcome = await world.run(id);

    expect(outcome).toMatchObject({ status: 'FAILED', error: 'FAILED' });
    await expectUntouched(world);
    const d = await world.record(id);
    expect(d.status).toBe('FAILED');
    expect(d.reason).toMatch(
      /^build failed: BUILD phase: exit status 2 — last lines: .*ERROR: exit code: 2$/,
    );
    expect(d.steps.find((s) => s.name === 'Build')).toMatchObject({ outcome: 'failed' });
    expectStepsTimed(d);
    await expectLockReleased(world);
  });

  it('rolls back when the code update fails after the code changed', async () => {
    const world = createWorld();
    const digest = world.pushApp('v2');
    world.functions.updateStatus.set(digest, 'Failed');
    const id = await world.request({ image: appRef('v2') });

    const outcome = await world.run(id);

    expect(outcome.error).toBe('ROLLED_BACK');
    await expectUntouched(world);
    const d = await world.record(id);
    expect(d.status).toBe('ROLLED_BACK');
    expect(d.reason).toMatch(/FunctionUpdateFailedError/);
    expect(stepNames(d)).toContain('Rollback');
    await expectLockReleased(world);
  });

  it('rolls back when the smoke invoke returns a FunctionError, and the alias never moves', async () => {
    const world = createWorld();
    const digest = world.pushApp('v2');
    world.functions.behaviors.set(digest, () => ({
      functionError: 'Unhandled',
      payload: { errorType: 'TypeError', errorMessage: 'boom' },
    }));
    const aliasMoves = trackAliasMoves(world);
    const id = await world.request({ image: appRef('v2') });

    const outcome = await world.run(id);

    expect(outcome.error).toBe('ROLLED_BACK');
    expect(aliasMoves).toEqual([]);
    const state = await world.functionState();
    expect(state).toEqual({
      aliasVersion: '1',
      aliasDigest: world.liveDigest,
      latestDigest: world.liveDigest,
    });
    expect(world.functions.digestAt(FN, '2')).toBe(digest);
    const d = await world.record(id);
    expect(d.reason).toMatch(/boom/);
    expect(d.smoke).toMatchObject({ passed: false, functionError: 'Unhandled' });
    await expectLockReleased(world);
  });

  it('rolls back when the smoke response does not match the assertions', async () => {
    const world = createWorld({
      settings: { smoke: { payload: { ping: 1 }, expectJsonSubset: { ok: true } } },
    });
    const digest = world.pushApp('v2');
    world.functions.behaviors.set(digest, () => ({ payload: { ok: false } }));
    const id = await world.request({ image: appRef('v2') });

    const outcome = await world.run(id);

    expect(outcome.error).toBe('ROLLED_BACK');
    await expectRestored(world);
    expect((await world.record(id)).smoke?.passed).toBe(false);
    await expectLockReleased(world);
  });

  it('ends ROLLBACK_FAILED with a critical notification when the rollback itself fails', async () => {
    const world = createWorld();
    const digest = world.pushApp('v2');
    world.functions.behaviors.set(digest, () => ({
      functionError: 'Unhandled',
      payload: { errorMessage: 'boom' },
    }));
    // Restoring $LATEST to the live image fails every time.
    world.functions.updateStatus.set(world.liveDigest, 'Failed');
    const id = await world.request({ image: appRef('v2') });

    const outcome = await world.run(id);

    expect(outcome.error).toBe('ROLLBACK_FAILED');
    const d = await world.record(id);
    expect(d.status).toBe('ROLLBACK_FAILED');
    expect(d.reason).toMatch(/rollback failed/i);
    expect(d.reason).toMatch(/boom/);
    const critical = world.notifier.sent.filter((n) => n.critical);
    expect(critical.map((n) => n.status)).toEqual(['ROLLBACK_FAILED']);
    // Traffic never moved: the alias still serves the live release.
    expect((await world.functionState()).aliasDigest).toBe(world.liveDigest);
    await expectLockReleased(world);
  });

  it('retries transient errors and then succeeds', async () => {
    const world = createWorld();
    const digest = world.pushApp('v2');
    const faults = new FaultInjector([
      {
        step: 'UpdateFunction',
        port: 'functions',
        method: 'updateCode',
        occurrence: 1,
        kind: 'transient',
      },
      {
        step: 'ResolveImage',
        port: 'registry',
        method: 'getManifest',
        occurrence: 1,
        kind: 'transient',
      },
      { step: 'Activate', port: 'functions', method: 'setAlias', occurrence: 1, kind: 'transient' },
    ]);
    const id = await world.request({ image: appRef('v2') });

    const outcome = await world.run(id, faults.depsFor(world.deps));

    expect(outcome.status).toBe('SUCCEEDED');
    expect(faults.fired).toHaveLength(3);
    expect(outcome.retries).toMatchObject({ UpdateFunction: 1, ResolveImage: 1, Activate: 1 });
    expect((await world.functionState()).aliasDigest).toBe(digest);
    const d = await world.record(id);
    expect(d.steps.find((s) => s.name === 'UpdateFunction')?.attempts).toBe(2);
    await expectLockReleased(world);
  });

  it('reports a live image missing from the registry in Prepare, before anything changes', async () => {
    const world = createWorld();
    world.pushApp('v2');
    world.registry.deleteImage(APP_REPO, world.liveDigest);
    const id = await world.request({ image: appRef('v2') });

    const outcome = await world.run(id);

    expect(outcome.error).toBe('FAILED');
    expect(outcome.path).not.toContain('ResolveImage');
    await expectUntouched(world);
    const d = await world.record(id);
    expect(d.reason).toMatch(/LiveImageMissingError/);
    expect(d.reason).toContain(world.liveDigest);
    await expectLockReleased(world);
  });

  it('fails without touching anything while another deployment holds the lock', async () => {
    const world = createWorld();
    world.pushApp('v2');
    await world.store.acquireLock(FN, 'd-OTHER', Math.floor(Date.now() / 1000), 600);
    const id = await world.request({ image: appRef('v2') });

    const outcome = await world.run(id);

    expect(outcome.error).toBe('FAILED');
    await expectUntouched(world);
    expect((await world.record(id)).reason).toMatch(/d-OTHER/);
    expect((await world.store.getLock(FN))?.owner).toBe('d-OTHER');
  });

  it('fails with a reason when the image does not exist', async () => {
    const world = createWorld();
    const id = await world.request({ image: appRef('nope') });

    const outcome = await world.run(id);

    expect(outcome.error).toBe('FAILED');
    await expectUntouched(world);
    expect((await world.record(id)).reason).toMatch(/NotFoundError/);
    await expectLockReleased(world);
  });

  it('fails the execution with a reason when the deployment does not exist', async () => {
    const world = createWorld();

    const outcome = await world.run('d-MISSING0000000000000000000');

    expect(outcome.status).toBe('FAILED');
    await expectUntouched(world);
  });
});

/**
 * LocalFunctions: the Functions port over the real local host (real registry, images and
 * unshare/chroot), checked against the semantics of test/fakes/fake-functions.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunctionHost } from '../../../local/function-host/function-host.ts';
import { type LambdaWorld, startLambdaWorld } from '../../../test/support/lambda-images.ts';
import { parseReportLine } from '../../core/report-line.ts';
import { LocalFunctions } from './local-functions.ts';

describe('LocalFunctions', () => {
  let world: LambdaWorld<'good' | 'throws'>;
  let host: FunctionHost;
  let functions: LocalFunctions;
  const hexOf = (uri: string) => uri.split('@sha256:')[1] ?? '';

  beforeAll(async () => {
    world = await startLambdaWorld(['good', 'throws']);
    host = await FunctionHost.open({
      stateDir: await world.tempDir(),
      registryUrl: world.registry.url,
    });
    functions = new LocalFunctions(host);
  }, 120_000);
  afterAll(async () => {
    await host?.close();
    await world?.cleanup();
  });

  it('creates, updates, publishes and moves the alias like Lambda', async () => {
    const created = await functions.createFunction('api', world.images.good, {
      architecture: 'x86_64',
    });
    expect(created).toMatchObject({
      functionName: 'api',
      version: '$LATEST',
      packageType: 'Image',
      imageUri: world.images.good,
      resolvedImageUri: world.images.good,
      codeSha256: hexOf(world.images.good),
      state: 'Active',
      lastUpdateStatus: 'Successful',
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:api',
    });
    expect(await functions.getAlias('api', 'live')).toBe('1');
    const started = await functions.updateCode('api', world.images.throws, created.revisionId);
    expect(started.lastUpdateStatus).toBe('InProgress');
    const ready = await functions.waitUntilUpdated('api', 30);
    expect(ready).toMatchObject({
      lastUpdateStatus: 'Successful',
      codeSha256: hexOf(world.images.throws),
    });
    const v2 = await functions.publishVersion('api', ready.codeSha256, ready.revisionId);
    expect(v2).toMatchObject({ version: '2', imageUri: world.images.throws });
    expect(v2.functionArn).toMatch(/:function:api:2$/);
    // Unchanged since the last publish: the same version comes back.
    expect((await functions.publishVersion('api', ready.codeSha256)).version).toBe('2');
    expect(await functions.getAlias('api', 'live')).toBe('1');
    await functions.setAlias('api', 'live', '2');
    await functions.setAlias('api', 'previous', '1');
    expect(await functions.getAlias('api', 'live')).toBe('2');
    expect(await functions.getAlias('api', 'previous')).toBe('1');
    expect(await functions.getAlias('api', 'missing')).toBeNull();
    expect((await functions.getFunction('api', 'previous')).imageUri).toBe(world.images.good);
    const broken = await functions.invoke('api', 'live', '{}');
    expect(broken.functionError).toBe('Unhandled');
    expect(broken.executedVersion).toBe('2');
  });

  it('checks RevisionId: a stale one is a ConflictError for update and publish', async () => {
    const created = await functions.createFunction('rev', world.images.good);
    await functions.updateCode('rev', world.images.throws, created.revisionId);
    await expect(
      functions.updateCode('rev', world.images.good, created.revisionId),
    ).rejects.toMatchObject({
      name: 'ConflictError',
    });
    const ready = await functions.waitUntilUpdated('rev', 30);
    await expect(
      functions.publishVersion('rev', ready.codeSha256, created.revisionId),
    ).rejects.toMatchObject({
      name: 'ConflictError',
    });
    await expect(functions.publishVersion('rev', hexOf(world.images.good))).rejects.toMatchObject({
      name: 'ConflictError',
    });
  });

  it('takes pinned image URIs only, and names unknown functions and versions', async () => {
    await functions.createFunction('pinned', world.images.good);
    const tagged = `${world.registry.host}/lambda-test:good`;
    await expect(functions.updateCode('pinned', tagged)).rejects.toMatchObject({
      name: 'InvalidRequestError',
    });
    await expect(functions.getFunction('nope')).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(functions.getFunction('pinned', '9')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(functions.setAlias('pinned', 'live', '9')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(functions.invoke('nope', 'live', '{}')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it('an image that cannot be pulled fails the update; rolling back succeeds', async () => {
    const created = await functions.createFunction('fails', world.images.good);
    const missing = `${world.registry.host}/lambda-test@sha256:${'0'.repeat(64)}`;
    await functions.updateCode('fails', missing, created.revisionId);
    await expect(functions.waitUntilUpdated('fails', 30)).rejects.toMatchObject({
      name: 'FunctionUpdateFailedError',
    });
    const failed = await functions.getFunction('fails');
    expect(failed).toMatchObject({ lastUpdateStatus: 'Failed', imageUri: missing });
    await expect(functions.publishVersion('fails', failed.codeSha256)).rejects.toMatchObject({
      name: 'ConflictError',
    });
    await functions.updateCode('fails', world.images.good, failed.revisionId);
    expect((await functions.waitUntilUpdated('fails', 30)).lastUpdateStatus).toBe('Successful');
  });

  it('resumes an update a restart left InProgress', async () => {
    await functions.createFunction('resume', world.images.good);
    // As if the host died between recording the update and unpacking it.
    await host.store.updateLatest('resume', world.images.throws);
    const restarted = new LocalFunctions(host);
    expect((await restarted.getFunction('resume')).lastUpdateStatus).toBe('InProgress');
    expect((await restarted.waitUntilUpdated('resume', 30)).lastUpdateStatus).toBe('Successful');
  });

  it('invokes with a log tail whose REPORT line is the report; Init Duration only when cold', async () => {
    await functions.createFunction('inv', world.images.good);
    const cold = await functions.invoke('inv', 'live', '{"k":"v"}');
    expect(JSON.parse(cold.payload).event).toEqual({ k: 'v' });
    expect(cold.statusCode).toBe(200);
    expect(parseReportLine(cold.logTail)).toEqual(cold.report);
    expect(cold.report?.initDurationMs).toBeGreaterThan(0);
    const warm = await functions.invoke('inv', 'live', '{}');
    expect(warm.report?.initDurationMs).toBeNull();
    // Lambda's default MemorySize.
    expect(warm.report?.memorySizeMb).toBe(128);
  });

  it('invokes concurrently on an instance of its own each: every one cold, even with one warm', async () => {
    await functions.createFunction('many', world.images.good);
    await functions.invoke('many', 'live', '{}'); // now warm and idle
    const started = host.pool.started;

    const results = await functions.invokeConcurrently('many', '1', '{"n":1}', 5);

    expect(results).toHaveLength(5);
    for (const r of results) {
      expect(r.functionError).toBeUndefined();
      expect(r.report?.initDurationMs).toBeGreaterThan(0);
    }
    expect(host.pool.started - started).toBe(5);
  });

  it('measures two versions in pairs of new instances, both sides cold', async () => {
    const created = await functions.createFunction('pair', world.images.good);
    await functions.updateCode('pair', world.images.throws, created.revisionId);
    const ready = await functions.waitUntilUpdated('pair', 30);
    const v2 = await functions.publishVersion('pair', ready.codeSha256, ready.revisionId);
    const started = host.pool.started;

    const pairs = await functions.pairedColdStarts('pair', v2.version, '1', '{}', 3);

    expect(pairs.version).toHaveLength(3);
    expect(pairs.baseline).toHaveLength(3);
    // Each side ran its own code: version 2 throws, version 1 answers.
    expect(pairs.version.every((r) => r.functionError === 'Unhandled')).toBe(true);
    expect(pairs.baseline.every((r) => JSON.parse(r.payload).version === '1')).toBe(true);
    for (const r of [...pairs.version, ...pairs.baseline]) {
      expect(r.report?.initDurationMs).toBeGreaterThan(0);
    }
    expect(host.pool.started - started).toBe(6);
  });
});

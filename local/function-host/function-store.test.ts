import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AliasRecord, CreateFunctionOptions } from './function-model.ts';
import { FunctionStore } from './function-store.ts';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const image = (c: string) => `127.0.0.1:5000/app@${digest(c)}`;
const versionsOf = (aliases: Readonly<Record<string, AliasRecord>>) =>
  Object.fromEntries(Object.entries(aliases).map(([name, alias]) => [name, alias.version]));

/** A store holding `api` with versions 1 (image a), 2 (b) and 3 (c), `live` on 1. */
async function withThreeVersions(dir: string): Promise<FunctionStore> {
  const store = await FunctionStore.open(dir);
  await store.create('api', image('a'));
  for (const c of ['b', 'c']) {
    const { latest } = await store.updateLatest('api', image(c));
    await store.finishUpdate('api', latest.revisionId, 'Successful');
    await store.publish('api', c.repeat(64));
  }
  return store;
}

describe('FunctionStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-store-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates version 1 behind the alias and resolves alias, version and $LATEST', async () => {
    const store = await FunctionStore.open(dir);
    await store.create('api', image('a'), { architecture: 'arm64' });
    expect(store.resolve('api', 'live')).toMatchObject({ version: '1' });
    expect(store.resolve('api', '1').code.codeSha256).toBe('a'.repeat(64));
    expect(store.resolve('api').version).toBe('$LATEST');
    expect(store.get('api')).toMatchObject({ architecture: 'arm64', packageType: 'Image' });
    expect(() => store.resolve('api', 'nope')).toThrow(
      expect.objectContaining({ name: 'NotFoundError' }),
    );
    expect(() => store.get('other')).toThrow(expect.objectContaining({ name: 'NotFoundError' }));
    await expect(store.create('api', image('b'))).rejects.toMatchObject({ name: 'ConflictError' });
  });

  it('takes pinned images only', async () => {
    const store = await FunctionStore.open(dir);
    await expect(store.create('api', '127.0.0.1:5000/app:latest')).rejects.toMatchObject({
      name: 'InvalidRequestError',
    });
    await store.create('api', image('a'));
    await expect(store.updateLatest('api', 'app:v2')).rejects.toMatchObject({
      name: 'InvalidRequestError',
    });
  });

  it('updates conditionally on the revision and publishes once per change', async () => {
    const store = await FunctionStore.open(dir);
    const created = await store.create('api', image('a'));
    await expect(store.updateLatest('api', image('b'), 'stale')).rejects.toMatchObject({
      name: 'ConflictError',
    });
    const updated = await store.updateLatest('api', image('b'), created.latest.revisionId);
    expect(updated.latest.lastUpdateStatus).toBe('InProgress');
    await expect(store.publish('api', 'b'.repeat(64))).rejects.toMatchObject({
      name: 'ConflictError',
    });
    await store.finishUpdate('api', updated.latest.revisionId, 'Successful');
    await expect(store.publish('api', 'a'.repeat(64))).rejects.toMatchObject({
      name: 'ConflictError',
    });
    expect(await store.publish('api', 'b'.repeat(64), updated.latest.revisionId)).toBe('2');
    // Unchanged since: Lambda hands back the newest version instead of a new one.
    expect(await store.publish('api', 'b'.repeat(64))).toBe('2');
    await store.setAlias('api', 'live', '2');
    await store.setAlias('api', 'canary', '1');
    expect(versionsOf(store.get('api').aliases)).toEqual({ live: '2', canary: '1' });
    await expect(store.setAlias('api', 'live', '9')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it('ignores the end of an update a newer update replaced', async () => {
    const store = await FunctionStore.open(dir);
    await store.create('api', image('a'));
    const first = await store.updateLatest('api', image('b'));
    const second = await store.updateLatest('api', image('c'));
    await store.finishUpdate('api', first.latest.revisionId, 'Failed', 'gone');
    expect(store.get('api').latest).toMatchObject({
      imageUri: image('c'),
      lastUpdateStatus: 'InProgress',
    });
    await store.finishUpdate('api', second.latest.revisionId, 'Successful');
    expect(store.get('api').latest.lastUpdateStatus).toBe('Successful');
  });

  it('persists every change atomically: a reopened store sees it and no temp file is left', async () => {
    const store = await FunctionStore.open(dir);
    await store.create('api', image('a'), { alias: 'prod', memorySizeMb: 256, timeoutSeconds: 5 });
    const updated = await store.updateLatest('api', image('b'));
    await store.finishUpdate('api', updated.latest.revisionId, 'Successful');
    await store.publish('api', 'b'.repeat(64));
    await Promise.all([store.setAlias('api', 'prod', '2'), store.setAlias('api', 'old', '1')]);
    const reopened = await FunctionStore.open(dir);
    expect(reopened.get('api')).toEqual(store.get('api'));
    expect(reopened.get('api')).toMatchObject({
      memorySizeMb: 256,
      timeoutSeconds: 5,
      nextVersion: 3,
    });
    expect(versionsOf(reopened.get('api').aliases)).toEqual({ prod: '2', old: '1' });
    expect(await readdir(dir)).toEqual(['functions.json']);
    expect(JSON.parse(await readFile(join(dir, 'functions.json'), 'utf8')).schemaVersion).toBe(2);
  });

  it('keeps a weighted alias: the primary for GetFunction, a draw per invocation, a new revision per write', async () => {
    const store = await withThreeVersions(dir);
    const before = store.alias('api', 'live');
    await store.setAliasRouting('api', 'live', {
      version: '2',
      additional: { version: '3', weight: 0.25 },
    });
    const weighted = store.alias('api', 'live');
    expect(weighted).toMatchObject({ version: '2', additional: { version: '3', weight: 0.25 } });
    expect(weighted?.revisionId).not.toBe(before?.revisionId);
    expect(store.resolve('api', 'live')).toMatchObject({ version: '2', alias: 'live' });
    expect(store.resolve('api', 'live', 0.2).version).toBe('3');
    expect(store.resolve('api', 'live', 0.25).version).toBe('2');
    expect(store.resolve('api', '3', 0)).not.toHaveProperty('alias');
    expect((await FunctionStore.open(dir)).alias('api', 'live')).toEqual(weighted);
    await store.setAlias('api', 'live', '3');
    expect(store.alias('api', 'live')).toMatchObject({ version: '3', additional: null });
  });

  it('writes an alias conditionally on its revision, and refuses what Lambda refuses', async () => {
    const store = await withThreeVersions(dir);
    const revision = store.alias('api', 'live')?.revisionId;
    const routing = { version: '1', additional: { version: '2', weight: 0.1 } };
    await store.setAliasRouting('api', 'live', routing, revision);
    await expect(store.setAliasRouting('api', 'live', routing, revision)).rejects.toMatchObject({
      name: 'ConflictError',
    });
    await expect(store.setAliasRouting('api', 'beta', routing, 'any')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    const missing = { version: '1', additional: { version: '9', weight: 0.1 } };
    await expect(store.setAliasRouting('api', 'live', missing)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    const whole = { version: '1', additional: { version: '2', weight: 1 } };
    await expect(store.setAliasRouting('api', 'live', whole)).rejects.toMatchObject({
      name: 'InvalidRequestError',
    });
    expect(store.alias('api', 'live')).toMatchObject(routing);
  });

  it('reads a state file of schema 1, whose aliases were version numbers', async () => {
    const code = { imageUri: image('a'), codeSha256: 'a'.repeat(64) };
    const fn = {
      name: 'api',
      packageType: 'Image',
      architecture: 'x86_64',
      memorySizeMb: 512,
      timeoutSeconds: 30,
      latest: { ...code, revisionId: 'r0', lastUpdateStatus: 'Successful' },
      versions: { '1': { ...code, revisionId: 'r1' } },
      aliases: { live: '1' },
      nextVersion: 2,
    };
    await writeFile(
      join(dir, 'functions.json'),
      JSON.stringify({ schemaVersion: 1, functions: { api: fn } }),
    );
    const store = await FunctionStore.open(dir);
    expect(store.alias('api', 'live')).toEqual({
      version: '1',
      additional: null,
      revisionId: expect.any(String),
    });
    expect(store.resolve('api', 'live').version).toBe('1');
  });

  it("keeps what an older Ferry stored and gives the fields it lacked Lambda's defaults", async () => {
    const code = { imageUri: image('a'), codeSha256: 'a'.repeat(64) };
    const fn = {
      name: 'api',
      packageType: 'Image',
      architecture: 'arm64',
      memorySizeMb: 512,
      timeoutSeconds: 30,
      latest: { ...code, revisionId: 'r0', lastUpdateStatus: 'Successful' },
      versions: { '1': { ...code, revisionId: 'r1' } },
      aliases: { live: { version: '1', additional: null, revisionId: 'a1' } },
      nextVersion: 2,
    };
    await writeFile(
      join(dir, 'functions.json'),
      JSON.stringify({ schemaVersion: 2, functions: { api: fn } }),
    );
    const store = await FunctionStore.open(dir);
    const expected = {
      timeoutSeconds: 30,
      memorySizeMb: 512,
      environment: {},
      architecture: 'arm64',
      ephemeralStorageMb: 512,
    };
    expect(store.resolve('api', '$LATEST').configuration).toEqual(expected);
    expect(store.resolve('api', 'live').configuration).toEqual(expected);
    expect(store.get('api').latest.revisionId).toBe('r0');
  });

  it("creates with Lambda's defaults and refuses values outside its limits, creating nothing", async () => {
    const store = await FunctionStore.open(dir);
    await store.create('api', image('a'));
    expect(store.resolve('api').configuration).toEqual({
      timeoutSeconds: 3,
      memorySizeMb: 128,
      environment: {},
      architecture: 'x86_64',
      ephemeralStorageMb: 512,
    });
    const bads: CreateFunctionOptions[] = [
      { timeoutSeconds: 901 },
      { timeoutSeconds: 0 },
      { memorySizeMb: 64 },
      { memorySizeMb: 10241 },
      { ephemeralStorageMb: 511 },
      { environment: { AWS_REGION: 'eu-west-1' } },
      { environment: { BIG: 'x'.repeat(4096) } },
    ];
    for (const bad of bads) {
      await expect(store.create('other', image('a'), bad)).rejects.toMatchObject({
        name: 'InvalidRequestError',
      });
    }
    expect(store.list().map((f) => f.name)).toEqual(['api']);
  });

  it("updates $LATEST's configuration on its revision; versions keep what they were published with", async () => {
    const store = await FunctionStore.open(dir);
    await store.create('api', image('a'), { environment: { STAGE: 'one' } });
    const before = store.get('api').latest.revisionId;
    const updated = await store.updateConfiguration(
      'api',
      { timeoutSeconds: 10, environment: { STAGE: 'two' } },
      before,
    );
    expect(updated.latest.revisionId).not.toBe(before);
    expect(updated.latest.lastUpdateStatus).toBe('Successful');
    expect(store.resolve('api').configuration).toMatchObject({
      timeoutSeconds: 10,
      memorySizeMb: 128,
      environment: { STAGE: 'two' },
    });
    expect(store.resolve('api', 'live').configuration).toMatchObject({
      timeoutSeconds: 3,
      environment: { STAGE: 'one' },
    });
    await expect(
      store.updateConfiguration('api', { timeoutSeconds: 20 }, before),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    await expect(
      store.updateConfiguration('api', { environment: { AWS_LAMBDA_FUNCTION_NAME: 'x' } }),
    ).rejects.toThrow(/reserved keys .* AWS_LAMBDA_FUNCTION_NAME/);
    expect(store.resolve('api').configuration.timeoutSeconds).toBe(10);
    // The code is unchanged but the configuration is not: publishing makes version 2, frozen.
    expect(await store.publish('api', 'a'.repeat(64))).toBe('2');
    expect(await store.publish('api', 'a'.repeat(64))).toBe('2');
    await store.updateConfiguration('api', { timeoutSeconds: 11 });
    expect(store.resolve('api', '2').configuration.timeoutSeconds).toBe(10);
    const reopened = await FunctionStore.open(dir);
    expect(reopened.resolve('api', '2').configuration).toEqual(
      store.resolve('api', '2').configuration,
    );
    expect(reopened.resolve('api').configuration.timeoutSeconds).toBe(11);
  });
});

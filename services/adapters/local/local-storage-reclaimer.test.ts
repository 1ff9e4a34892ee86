/**
 * Reclaiming local mode's disk with the real parts: buildah-built images in a real
 * docker-registry, a real function host that unpacked them, the registry's own garbage
 * collection.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunctionHost } from '../../../local/function-host/function-host.ts';
import { type LambdaWorld, startLambdaWorld } from '../../../test/support/lambda-images.ts';
import { parseImageRef } from '../../core/image-ref.ts';
import { LocalFunctionInventory } from './local-function-inventory.ts';
import { LocalFunctions } from './local-functions.ts';
import { LocalStorageReclaimer, totalBytes } from './local-storage-reclaimer.ts';
import { OciImageInventory } from './oci-image-inventory.ts';
import { OciRegistry } from './oci-registry.ts';

/** Resolves once `condition` holds (checked every 20 ms, for 10 s at most). */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 10_000) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('LocalStorageReclaimer', () => {
  let world: LambdaWorld<'good' | 'twin' | 'throws' | 'slower'>;
  let host: FunctionHost;
  let registry: OciRegistry;
  let reclaimer: LocalStorageReclaimer;
  const hexOf = (uri: string) => parseImageRef(uri).digest?.slice('sha256:'.length) ?? '';
  const storage = () => join(world.registry.dir, 'storage');

  beforeAll(async () => {
    world = await startLambdaWorld(['good', 'twin', 'throws', 'slower']);
    host = await FunctionHost.open({
      stateDir: await world.tempDir(),
      registryUrl: world.registry.url,
    });
    registry = new OciRegistry({ baseUrl: world.registry.url });
    reclaimer = new LocalStorageReclaimer({
      registryDir: world.registry.dir,
      whileRegistryStopped: (work) => world.registry.whileStopped(work),
      host,
    });
  }, 180_000);
  afterAll(async () => {
    await host?.close();
    await world?.cleanup();
  });

  it('frees the blobs of a deleted image and the root filesystem no version runs any more', async () => {
    // Prepare: `twin` is version 2 of a function, unpacked; `good` is version 1 and $LATEST.
    const { good, twin } = world.images;
    const functions = new LocalFunctions(host);
    await functions.createFunction('reclaim', good);
    const release = async (image: string) => {
      const { revisionId } = await functions.getFunction('reclaim');
      await functions.updateCode('reclaim', image, revisionId);
      const ready = await functions.waitUntilUpdated('reclaim', 60);
      return (await functions.publishVersion('reclaim', ready.codeSha256)).version;
    };
    expect(await release(twin)).toBe('2');
    expect(await release(good)).toBe('3');
    const rootfs = (uri: string) => join(host.images.dir, hexOf(uri));
    expect(existsSync(rootfs(twin))).toBe(true);
    await expect(new LocalFunctionInventory(host).deleteVersion('reclaim', '2')).resolves.toBe(
      'deleted',
    );
    const { repository } = parseImageRef(twin);
    const twinDigest = parseImageRef(twin).digest ?? '';
    await expect(new OciImageInventory(registry).deleteImage(repository, twinDigest)).resolves.toBe(
      'deleted',
    );
    const registryBefore = await totalBytes([storage()]);

    // Act
    const { reclaimedBytes } = await reclaimer.reclaim();

    // Assess: the registry's disk shrank, twin's tree is gone, good's stays and still pulls.
    const registryAfter = await totalBytes([storage()]);
    expect(registryAfter).toBeLessThan(registryBefore);
    expect(existsSync(rootfs(twin))).toBe(false);
    expect(existsSync(rootfs(good))).toBe(true);
    expect(reclaimedBytes).toBeGreaterThan(registryBefore - registryAfter);
    const manifest = await registry.getManifest(repository, parseImageRef(good).digest ?? '');
    const config = JSON.parse(manifest.body).config.digest as string;
    await expect(registry.getConfig(repository, config)).resolves.toMatchObject({
      architecture: 'amd64',
    });
    const result = await host.invoke('reclaim', 'live', '{}');
    expect(result.functionError).toBeUndefined();
  }, 120_000);

  it('keeps the root filesystem of a deleted version while its instance is still running', async () => {
    // Prepare: version 2 runs `slower`; $LATEST and version 3 are back on `good`.
    const { good, slower } = world.images;
    const functions = new LocalFunctions(host);
    await functions.createFunction('busy', good);
    for (const image of [slower, good]) {
      const { revisionId } = await functions.getFunction('busy');
      await functions.updateCode('busy', image, revisionId);
      const ready = await functions.waitUntilUpdated('busy', 60);
      await functions.publishVersion('busy', ready.codeSha256);
    }
    const hex = hexOf(slower);
    const running = host.invoke('busy', '2', '{"sleep": 2}');
    await until(() => host.pool.hasKeyEnding(`\n${hex}`));
    await expect(new LocalFunctionInventory(host).deleteVersion('busy', '2')).resolves.toBe(
      'deleted',
    );

    // Act
    await reclaimer.reclaim();

    // Assess: the tree stayed for the invocation, which ends well; the next reclaim takes it.
    expect(existsSync(join(host.images.dir, hex))).toBe(true);
    expect((await running).functionError).toBeUndefined();
    await until(() => !host.pool.hasKeyEnding(`\n${hex}`));
    await reclaimer.reclaim();
    expect(existsSync(join(host.images.dir, hex))).toBe(false);
  }, 120_000);

  it('frees nothing an image or version still uses', async () => {
    const { throws } = world.images;
    const functions = new LocalFunctions(host);
    await functions.createFunction('keeps', throws);
    const tree = join(host.images.dir, hexOf(throws));
    await reclaimer.reclaim();
    expect(existsSync(tree)).toBe(true);
    const { repository, digest } = parseImageRef(throws);
    await expect(registry.hasImage(repository, digest ?? '')).resolves.toBe(true);
  }, 120_000);
});

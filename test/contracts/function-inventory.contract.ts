/**
 * The FunctionInventory port as every implementation must behave: the in-memory fake, the local
 * adapter over a real function host, and the Lambda adapter over the host's Lambda API and on
 * moto. Subjects are built with a small page size, so every list must page to the end. An
 * implementation that cannot show a behaviour names it in `gaps`, with why, and that case is
 * skipped for it rather than weakened for all.
 */
import { describe, expect, it } from 'vitest';
import { imageAt } from '../../services/core/gc-snapshot.ts';
import { parseImageRef } from '../../services/core/image-ref.ts';
import type { AliasRouting, FunctionInventory } from '../../services/core/ports.ts';

/** The page size subjects' inventories are built with (smaller than what the cases publish). */
export const FUNCTION_PAGE_SIZE = 2;

/** A fresh function: $LATEST and version 1 at `images[0]`, alias `live` on version 1. */
export interface FunctionInventorySubject {
  /** Built with pages of {@link FUNCTION_PAGE_SIZE}. */
  readonly inventory: FunctionInventory;
  readonly name: string;
  /** At least three pinned URIs of distinct images, all in `repository`. */
  readonly images: readonly string[];
  /** The repository of `images`, as the registry names it. */
  readonly repository: string;
  /** Points $LATEST at `image` and publishes it: the new version's number. */
  publish(image: string): Promise<string>;
  /** Creates or moves `alias` to `routing`. */
  route(alias: string, routing: AliasRouting): Promise<void>;
  /** Gives a published version provisioned concurrency. */
  provision(version: string): Promise<void>;
}

/** The cases an implementation may be unable to show. */
export type FunctionInventoryGap = 'version-repository' | 'provisioned' | 'refuses-routed';

/** One implementation of the port under the contract. */
export interface FunctionInventoryImplementation {
  readonly name: string;
  make(): Promise<FunctionInventorySubject>;
  readonly gaps?: Partial<Record<FunctionInventoryGap, string>>;
}

const hexOf = (uri: string | undefined) => parseImageRef(uri ?? '').digest?.slice('sha256:'.length);

/** Registers the contract for one implementation. */
export function describeFunctionInventoryContract(
  implementation: FunctionInventoryImplementation,
): void {
  const gaps = implementation.gaps ?? {};
  const unless = (gap: FunctionInventoryGap) => (gaps[gap] ? it.skip : it);

  describe(`FunctionInventory contract: ${implementation.name}`, () => {
    it('reads $LATEST among the versions, with its CodeSha256 as bare hex and its image URI', async () => {
      const { inventory, name, images, repository } = await implementation.make();
      const state = await inventory.readState(name);
      const hex = hexOf(images[0]);
      expect(hex).toMatch(/^[a-f0-9]{64}$/);
      expect(state.latest.codeSha256).toBe(hex);
      const at = imageAt(state.latest.resolvedImageUri);
      expect(at).toEqual({ repository, digest: `sha256:${hex}` });
      const versions = new Map(state.versions.map((v) => [v.version, v]));
      expect([...versions.keys()].sort()).toEqual(['$LATEST', '1']);
      expect(versions.get('$LATEST')?.codeSha256).toBe(hex);
      expect(versions.get('1')?.codeSha256).toBe(hex);
      for (const v of state.versions) {
        expect(new Date(Date.parse(v.lastModified)).toISOString()).toBe(v.lastModified);
        // Read where the host says it; else null (kept in every repository), never another one.
        expect([repository, null]).toContain(v.repository);
      }
      expect(state.aliases).toEqual([
        { name: 'live', routing: { version: '1', additional: null } },
      ]);
      expect(state.provisionedQualifiers).toEqual([]);
    });

    it('pages through more versions and aliases than one page holds, to the end', async () => {
      const { inventory, name, images, publish, route } = await implementation.make();
      const published: string[] = [];
      for (const image of [images[1], images[2], images[0], images[1]]) {
        published.push(await publish(image ?? ''));
      }
      expect(published).toEqual(['2', '3', '4', '5']);
      for (const [i, alias] of ['a', 'b', 'c'].entries()) {
        await route(alias, { version: String(i + 2), additional: null });
      }
      const state = await inventory.readState(name);
      expect(state.versions.map((v) => v.version).sort()).toEqual(
        ['$LATEST', '1', '2', '3', '4', '5'].sort(),
      );
      const codes = new Map(state.versions.map((v) => [v.version, v.codeSha256]));
      expect(codes.get('3')).toBe(hexOf(images[2]));
      expect(codes.get('$LATEST')).toBe(hexOf(images[1]));
      expect(state.aliases.map((a) => a.name).sort()).toEqual(['a', 'b', 'c', 'live']);
    });

    unless('version-repository')('reads the repository of each published version', async () => {
      const { inventory, name, images, repository, publish } = await implementation.make();
      await publish(images[1] ?? '');
      const state = await inventory.readState(name);
      for (const v of state.versions) expect(v.repository).toBe(repository);
    });

    it('reads a weighted alias with its additional version', async () => {
      const { inventory, name, images, publish, route } = await implementation.make();
      await publish(images[1] ?? '');
      const routing = { version: '2', additional: { version: '1', weight: 0.25 } };
      await route('canary', routing);
      const { aliases } = await inventory.readState(name);
      expect(aliases.find((a) => a.name === 'canary')).toEqual({ name: 'canary', routing });
    });

    unless('provisioned')('reads the qualifiers with provisioned concurrency', async () => {
      const { inventory, name, images, publish, provision } = await implementation.make();
      await publish(images[1] ?? '');
      await provision('2');
      const state = await inventory.readState(name);
      expect(state.provisionedQualifiers).toEqual(['2']);
    });

    it('deletes an unreferenced version, then answers `gone` for it', async () => {
      const { inventory, name, images, publish, route } = await implementation.make();
      await publish(images[1] ?? '');
      await publish(images[2] ?? '');
      await route('live', { version: '3', additional: null });
      await expect(inventory.deleteVersion(name, '2')).resolves.toBe('deleted');
      const state = await inventory.readState(name);
      expect(state.versions.map((v) => v.version).sort()).toEqual(['$LATEST', '1', '3']);
      await expect(inventory.deleteVersion(name, '2')).resolves.toBe('gone');
      await expect(inventory.deleteVersion(name, '99')).resolves.toBe('gone');
    });

    it('keeps $LATEST', async () => {
      const { inventory, name } = await implementation.make();
      await expect(inventory.deleteVersion(name, '$LATEST')).resolves.toBe('kept');
      const state = await inventory.readState(name);
      expect(state.versions.map((v) => v.version)).toContain('$LATEST');
    });

    unless('refuses-routed')(
      'keeps a version an alias routes to, as primary or as weighted additional',
      async () => {
        const { inventory, name, images, publish, route } = await implementation.make();
        await publish(images[1] ?? '');
        await publish(images[2] ?? '');
        await route('canary', { version: '3', additional: { version: '2', weight: 0.1 } });
        await expect(inventory.deleteVersion(name, '1')).resolves.toBe('kept');
        await expect(inventory.deleteVersion(name, '2')).resolves.toBe('kept');
        await expect(inventory.deleteVersion(name, '3')).resolves.toBe('kept');
        const state = await inventory.readState(name);
        expect(state.versions.map((v) => v.version).sort()).toEqual(['$LATEST', '1', '2', '3']);
      },
    );

    unless('provisioned')('keeps a version with provisioned concurrency', async () => {
      const { inventory, name, images, publish, provision } = await implementation.make();
      await publish(images[1] ?? '');
      await publish(images[2] ?? '');
      await provision('2');
      await expect(inventory.deleteVersion(name, '2')).resolves.toBe('kept');
      const state = await inventory.readState(name);
      expect(state.versions.map((v) => v.version)).toContain('2');
    });

    it('reads a missing function as NotFoundError, and deleting its version as `gone`', async () => {
      const { inventory } = await implementation.make();
      await expect(inventory.readState('no-such-function')).rejects.toMatchObject({
        name: 'NotFoundError',
      });
      await expect(inventory.deleteVersion('no-such-function', '1')).resolves.toBe('gone');
    });
  });
}

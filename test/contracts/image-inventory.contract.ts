/**
 * The ImageInventory port as every implementation must behave: the in-memory fake, the local
 * adapter over a real docker-registry, and the ECR adapter on moto's ECR. Subjects are built
 * with a small page size, so listing must page to the end. An implementation that cannot show a
 * behaviour names it in `gaps`, with why, and that case is skipped for it rather than weakened
 * for all.
 */
import { describe, expect, it } from 'vitest';
import type { RegistryImage } from '../../services/core/gc-snapshot.ts';
import type { ImageInventory } from '../../services/core/ports.ts';

/** The page size subjects' inventories are built with (smaller than what the cases push). */
export const INVENTORY_PAGE_SIZE = 2;

/** A fresh repository on one implementation. */
export interface ImageInventorySubject {
  /** Built with pages of {@link INVENTORY_PAGE_SIZE}. */
  readonly inventory: ImageInventory;
  /** A repository no other test uses; it exists once `push` has run. */
  readonly repository: string;
  /** Pushes a distinct image (one per `seed`) under `tag`, or untagged (null); its digest. */
  push(tag: string | null, seed: string): Promise<string>;
  /** Gives the image `digest` one more tag. */
  tag(digest: string, tag: string): Promise<void>;
}

/** The cases an implementation may be unable to show. */
export type ImageInventoryGap = 'untagged' | 'paging';

/** One implementation of the port under the contract. */
export interface ImageInventoryImplementation {
  readonly name: string;
  make(): Promise<ImageInventorySubject>;
  readonly gaps?: Partial<Record<ImageInventoryGap, string>>;
}

const MISSING = `sha256:${'0'.repeat(64)}`;
const byDigest = (images: readonly RegistryImage[]) =>
  new Map(images.map((i) => [i.digest, { ...i, tags: [...i.tags].sort() }]));

/** Registers the contract for one implementation. */
export function describeImageInventoryContract(implementation: ImageInventoryImplementation): void {
  const gaps = implementation.gaps ?? {};
  const unless = (gap: ImageInventoryGap) => (gaps[gap] ? it.skip : it);

  describe(`ImageInventory contract: ${implementation.name}`, () => {
    it('lists [] for a repository that does not exist', async () => {
      const { inventory } = await implementation.make();
      await expect(inventory.listImages('contract/never-pushed')).resolves.toEqual([]);
    });

    it('lists one image per digest with its repository, push time and size', async () => {
      const { inventory, repository, push } = await implementation.make();
      const before = Date.now();
      const digest = await push('v1', 'one');
      const [image, ...others] = await inventory.listImages(repository);
      expect(others).toEqual([]);
      expect(image).toMatchObject({ repository, digest, tags: ['v1'] });
      expect(image?.sizeBytes).toBeGreaterThan(0);
      const pushedAt = Date.parse(image?.pushedAt ?? '');
      expect(new Date(pushedAt).toISOString()).toBe(image?.pushedAt);
      // Clocks of a server and this process may differ a little; a day apart is wrong.
      expect(Math.abs(pushedAt - before)).toBeLessThan(86_400_000);
    });

    unless('paging')('pages through more images than one page holds, to the end', async () => {
      const { inventory, repository, push } = await implementation.make();
      const pushed: string[] = [];
      for (const seed of ['a', 'b', 'c', 'd', 'e']) pushed.push(await push(`t-${seed}`, seed));
      const listed = byDigest(await inventory.listImages(repository));
      expect([...listed.keys()].sort()).toEqual([...pushed].sort());
      expect(listed.get(pushed[4] ?? '')?.tags).toEqual(['t-e']);
    });

    it('lists every tag of an image on that one image', async () => {
      const { inventory, repository, push, tag } = await implementation.make();
      const digest = await push('v1', 'tags');
      for (const t of ['v2', 'ferry-release-1', 'latest']) await tag(digest, t);
      const images = await inventory.listImages(repository);
      expect(images).toHaveLength(1);
      expect([...(images[0]?.tags ?? [])].sort()).toEqual([
        'ferry-release-1',
        'latest',
        'v1',
        'v2',
      ]);
    });

    unless('untagged')('lists an untagged image with no tags', async () => {
      const { inventory, repository, push } = await implementation.make();
      const tagged = await push('v1', 'kept-tag');
      const untagged = await push(null, 'no-tag');
      const listed = byDigest(await inventory.listImages(repository));
      expect(listed.get(untagged)?.tags).toEqual([]);
      expect(listed.get(tagged)?.tags).toEqual(['v1']);
    });

    it('deletes an image by digest with every tag on it, and leaves the others', async () => {
      const { inventory, repository, push, tag } = await implementation.make();
      const doomed = await push('old', 'doomed');
      await tag(doomed, 'older');
      const kept = await push('new', 'kept');
      await expect(inventory.deleteImage(repository, doomed)).resolves.toBe('deleted');
      const listed = await inventory.listImages(repository);
      expect(listed.map((i) => i.digest)).toEqual([kept]);
      expect(listed[0]?.tags).toEqual(['new']);
    });

    it('answers `gone` when the image was deleted already, or never was', async () => {
      const { inventory, repository, push } = await implementation.make();
      const digest = await push('once', 'twice');
      await push('other', 'other');
      await expect(inventory.deleteImage(repository, digest)).resolves.toBe('deleted');
      await expect(inventory.deleteImage(repository, digest)).resolves.toBe('gone');
      await expect(inventory.deleteImage(repository, MISSING)).resolves.toBe('gone');
      await expect(inventory.deleteImage('contract/never-pushed', MISSING)).resolves.toBe('gone');
    });
  });
}

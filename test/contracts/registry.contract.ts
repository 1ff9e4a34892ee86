/**
 * The Registry port as every implementation must behave: the in-memory fake, the OCI adapter on
 * a real docker-registry, and the ECR adapter on moto's ECR. An implementation that cannot show
 * a behaviour names it in `gaps`, with why, and that case is skipped for it rather than weakened
 * for all.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Registry } from '../../services/core/ports.ts';

/** An image as pushed: its digest and the exact manifest bytes the registry was given. */
export interface PushedImage {
  readonly digest: string;
  readonly body: string;
}

/** A fresh repository on one implementation. */
export interface RegistrySubject {
  readonly registry: Registry;
  /** A repository no other test uses; it exists once `push` has run. */
  readonly repository: string;
  /**
   * Pushes a single-architecture (amd64) OCI image under `tag` with the implementation's own
   * client: one layer of distinct content per `seed`, a config whose history names the seed.
   */
  push(tag: string, seed: string): Promise<PushedImage>;
  /** Pushes an OCI image index of `children` (pushed before) under `tag`. */
  pushIndex(tag: string, children: readonly PushedImage[]): Promise<PushedImage>;
}

/** The cases an implementation may be unable to show. */
export type RegistryGap = 'config-blob' | 'untag-shared-digest';

/** One implementation of the port under the contract. */
export interface RegistryImplementation {
  readonly name: string;
  make(): Promise<RegistrySubject>;
  readonly gaps?: Partial<Record<RegistryGap, string>>;
}

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const MISSING = `sha256:${'0'.repeat(64)}`;

interface ParsedManifest {
  config: { digest: string };
  layers: Array<{ size: number }>;
}

/** Registers the contract for one implementation. */
export function describeRegistryContract(implementation: RegistryImplementation): void {
  const gaps = implementation.gaps ?? {};
  const unless = (gap: RegistryGap) => (gaps[gap] ? it.skip : it);

  describe(`Registry contract: ${implementation.name}`, () => {
    it('resolves a tag to the digest of the exact manifest bytes, and reads the same by digest', async () => {
      const { registry, repository, push } = await implementation.make();
      const pushed = await push('v1', 'one');
      const byTag = await registry.getManifest(repository, 'v1');
      expect(byTag).toEqual({
        repository,
        digest: pushed.digest,
        mediaType: OCI_MANIFEST,
        body: pushed.body,
      });
      expect(byTag.digest).toBe(sha256(byTag.body));
      await expect(registry.getManifest(repository, pushed.digest)).resolves.toEqual(byTag);
    });

    it('reads an image index with its own media type, by tag and by digest', async () => {
      const { registry, repository, push, pushIndex } = await implementation.make();
      const amd = await push('amd64', 'index-amd');
      const arm = await push('arm64', 'index-arm');
      const index = await pushIndex('multi', [amd, arm]);
      const read = await registry.getManifest(repository, 'multi');
      expect(read).toEqual({
        repository,
        digest: index.digest,
        mediaType: OCI_INDEX,
        body: index.body,
      });
      expect(read.digest).toBe(sha256(read.body));
      await expect(registry.getManifest(repository, index.digest)).resolves.toEqual(read);
    });

    it('keeps the layer sizes the scan adds up (the compressed size)', async () => {
      const { registry, repository, push } = await implementation.make();
      const pushed = await push('v1', 'sizes');
      const read = JSON.parse((await registry.getManifest(repository, 'v1')).body);
      const sizes = (JSON.parse(pushed.body) as ParsedManifest).layers.map((l) => l.size);
      expect(sizes.every((size) => size > 0)).toBe(true);
      expect((read as ParsedManifest).layers.map((l) => l.size)).toEqual(sizes);
    });

    unless('config-blob')(
      'returns the config blob the manifest names: architecture, os, history',
      async () => {
        const { registry, repository, push } = await implementation.make();
        const pushed = await push('v1', 'config');
        const { config } = JSON.parse(pushed.body) as ParsedManifest;
        const read = await registry.getConfig(repository, config.digest);
        expect(read).toMatchObject({ architecture: 'amd64', os: 'linux' });
        expect(JSON.stringify(read.history)).toContain('config');
        await expect(registry.getConfig(repository, MISSING)).rejects.toMatchObject({
          name: 'NotFoundError',
        });
      },
    );

    it('tells whether a digest exists: false for an unknown digest or repository', async () => {
      const { registry, repository, push } = await implementation.make();
      const pushed = await push('v1', 'exists');
      await expect(registry.hasImage(repository, pushed.digest)).resolves.toBe(true);
      await expect(registry.hasImage(repository, MISSING)).resolves.toBe(false);
      // Prepare's preflight asks this of whatever a function runs: a deleted repository means
      // the image is gone (LiveImageMissingError, with its advice), not a failed lookup.
      await expect(registry.hasImage(`${repository}-gone`, pushed.digest)).resolves.toBe(false);
    });

    it('throws NotFoundError for an unknown tag, digest or repository', async () => {
      const { registry, repository, push } = await implementation.make();
      await push('v1', 'missing');
      for (const [repo, reference] of [
        [repository, 'v9'],
        [repository, MISSING],
        [`${repository}-gone`, 'v1'],
      ] as const) {
        await expect(registry.getManifest(repo, reference)).rejects.toMatchObject({
          name: 'NotFoundError',
        });
      }
    });

    it('retags by digest: the new tag resolves to the same digest, the old one stays; idempotent', async () => {
      const { registry, repository, push } = await implementation.make();
      const pushed = await push('candidate', 'retag');
      const manifest = await registry.getManifest(repository, pushed.digest);
      await registry.putTag(repository, 'release-1', manifest);
      await registry.putTag(repository, 'release-1', manifest);
      await expect(registry.getManifest(repository, 'release-1')).resolves.toEqual(manifest);
      await expect(registry.getManifest(repository, 'candidate')).resolves.toEqual(manifest);
    });

    it('promotes: a tag on one image moves to another, whose other tags are untouched', async () => {
      const { registry, repository, push } = await implementation.make();
      const old = await push('old', 'promote-old');
      const next = await push('next', 'promote-new');
      await registry.putTag(repository, 'live', await registry.getManifest(repository, old.digest));
      await registry.putTag(
        repository,
        'live',
        await registry.getManifest(repository, next.digest),
      );
      expect((await registry.getManifest(repository, 'live')).digest).toBe(next.digest);
      expect((await registry.getManifest(repository, 'old')).digest).toBe(old.digest);
      await expect(registry.hasImage(repository, old.digest)).resolves.toBe(true);
    });

    it('deleting a tag keeps the image and the other tag on it; a missing tag is fine', async () => {
      const { registry, repository, push } = await implementation.make();
      const pushed = await push('release-1', 'delete');
      await registry.putTag(
        repository,
        'ferry-candidate-d1',
        await registry.getManifest(repository, pushed.digest),
      );
      await registry.deleteTag(repository, 'ferry-candidate-d1');
      expect((await registry.getManifest(repository, 'release-1')).digest).toBe(pushed.digest);
      await expect(registry.hasImage(repository, pushed.digest)).resolves.toBe(true);
      await registry.deleteTag(repository, 'ferry-candidate-d1');
      await registry.deleteTag(repository, 'never-there');
    });

    unless('untag-shared-digest')(
      'a deleted tag no longer resolves, even while another tag keeps its image',
      async () => {
        const { registry, repository, push } = await implementation.make();
        const pushed = await push('release-1', 'untag');
        await registry.putTag(
          repository,
          'ferry-candidate-d1',
          await registry.getManifest(repository, pushed.digest),
        );
        await registry.deleteTag(repository, 'ferry-candidate-d1');
        await expect(registry.getManifest(repository, 'ferry-candidate-d1')).rejects.toMatchObject({
          name: 'NotFoundError',
        });
      },
    );

    it('deletes the last tag of an image: the tag no longer resolves', async () => {
      const { registry, repository, push } = await implementation.make();
      await push('ferry-candidate-d2', 'last-tag');
      await registry.deleteTag(repository, 'ferry-candidate-d2');
      await expect(registry.getManifest(repository, 'ferry-candidate-d2')).rejects.toMatchObject({
        name: 'NotFoundError',
      });
    });
  });
}

/**
 * The ImageInventory port over the OCI distribution API (local mode's `docker-registry`). The API
 * lists tags, not manifests: each tag is read to its digest (tags on one digest make one image),
 * so an untagged manifest is invisible here — Ferry knows the ones its builds pushed from its
 * build records. Sizes are the manifest's layers plus its config (compressed, as pushed).
 * Deleting is by digest, which drops every tag on it; the blobs stay until the registry's garbage
 * collection (local-storage-reclaimer.ts).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError } from '../../core/errors.ts';
import type { RegistryImage } from '../../core/gc-snapshot.ts';
import type { ImageInventory, RemovalOutcome } from '../../core/ports.ts';
import type { OciRegistry } from './oci-registry.ts';

/** Options for {@link OciImageInventory}. */
export interface OciImageInventoryOptions {
  /**
   * The registry's storage root (`rootdirectory` in its config): a manifest's push time is the
   * time its revision link was written there. @default - the image config's `created`, else now
   */
  readonly storageDir?: string;
  /** Tags a `tags/list` page. @default 1000 */
  readonly pageSize?: number;
  /** Manifests read at once. @default 8 */
  readonly concurrency?: number;
  /** @default - the system clock */
  readonly now?: () => Date;
}

interface ManifestSizes {
  config?: { digest?: string; size?: number };
  layers?: Array<{ size?: number }>;
  manifests?: Array<{ size?: number }>;
}

/** ImageInventory on a distribution API registry (see module doc). */
export class OciImageInventory implements ImageInventory {
  constructor(
    private readonly registry: OciRegistry,
    private readonly options: OciImageInventoryOptions = {},
  ) {}

  async listImages(repository: string): Promise<RegistryImage[]> {
    let tags: string[];
    try {
      tags = await this.registry.listTags(repository, this.options.pageSize ?? 1000);
    } catch (error) {
      if (error instanceof NotFoundError) return [];
      throw error;
    }
    const byDigest = new Map<string, { tags: string[]; body: string }>();
    await inBatches(tags, this.options.concurrency ?? 8, async (tag) => {
      let manifest: Awaited<ReturnType<OciRegistry['getManifest']>>;
      try {
        manifest = await this.registry.getManifest(repository, tag);
      } catch (error) {
        // Deleted between the listing and this read: no longer an image of the repository.
        if (error instanceof NotFoundError) return;
        throw error;
      }
      const entry = byDigest.get(manifest.digest) ?? { tags: [], body: manifest.body };
      entry.tags.push(tag);
      byDigest.set(manifest.digest, entry);
    });
    const images: RegistryImage[] = [];
    await inBatches([...byDigest], this.options.concurrency ?? 8, async ([digest, entry]) => {
      const parsed = JSON.parse(entry.body) as ManifestSizes;
      images.push({
        repository,
        digest,
        tags: entry.tags.sort(),
        pushedAt: await this.pushedAt(repository, digest, parsed),
        sizeBytes: sizeOf(parsed),
      });
    });
    return images.sort((a, b) => a.digest.localeCompare(b.digest));
  }

  async deleteImage(repository: string, digest: string): Promise<RemovalOutcome> {
    return (await this.registry.deleteManifest(repository, digest)) ? 'deleted' : 'gone';
  }

  /**
   * When the manifest was pushed: its revision link's time on disk; else the config's `created`
   * (a build's time, never later than the push); else now, which makes the image too young to
   * collect rather than old enough.
   */
  private async pushedAt(
    repository: string,
    digest: string,
    manifest: ManifestSizes,
  ): Promise<string> {
    const { storageDir } = this.options;
    if (storageDir) {
      const hex = digest.slice('sha256:'.length);
      const link = join(
        storageDir,
        'docker/registry/v2/repositories',
        repository,
        '_manifests/revisions/sha256',
        hex,
        'link',
      );
      const found = await stat(link).catch(() => null);
      if (found) return found.mtime.toISOString();
    }
    if (manifest.config?.digest) {
      const config = await this.registry
        .getConfig(repository, manifest.config.digest)
        .catch(() => null);
      const created = Date.parse((config as { created?: string } | null)?.created ?? '');
      if (Number.isFinite(created)) return new Date(created).toISOString();
    }
    return (this.options.now?.() ?? new Date()).toISOString();
  }
}

/** Compressed size: an image's layers and config; an index's child manifests. */
function sizeOf(manifest: ManifestSizes): number {
  const parts = [manifest.config, ...(manifest.layers ?? []), ...(manifest.manifests ?? [])];
  return parts.reduce((sum, part) => sum + (part?.size ?? 0), 0);
}

/** Runs `work` over `items`, at most `size` at a time. */
async function inBatches<T>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  for (let at = 0; at < items.length; at += size) {
    await Promise.all(items.slice(at, at + size).map(work));
  }
}

import { createHash } from 'node:crypto';
import { NotFoundError } from '../../services/core/errors.ts';
import type { ImageConfig, ManifestRecord, Registry } from '../../services/core/ports.ts';

/** OCI manifest media types. */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** A layer of a fake image: its compressed size and the history line that made it. */
export interface FakeLayer {
  readonly sizeBytes: number;
  readonly createdBy: string;
}

/** What a fake image is made of. */
export interface FakeImageSpec {
  readonly architecture?: string;
  readonly layers?: readonly FakeLayer[];
  /** Extra history lines that made no layer (ENV, CMD…). */
  readonly emptyHistory?: readonly string[];
  /** Distinguishes images with the same layers. */
  readonly label?: string;
}

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

interface Repo {
  manifests: Map<string, ManifestRecord>;
  tags: Map<string, string>;
  blobs: Map<string, ImageConfig>;
}

/** In-memory registry with a distribution registry's semantics (digest = sha256 of the manifest bytes). */
export class FakeRegistry implements Registry {
  readonly repos = new Map<string, Repo>();

  private repo(name: string): Repo {
    let repo = this.repos.get(name);
    if (!repo) {
      repo = { manifests: new Map(), tags: new Map(), blobs: new Map() };
      this.repos.set(name, repo);
    }
    return repo;
  }

  /** Pushes an image and tags it; returns its digest. */
  pushImage(repository: string, tag: string | null, spec: FakeImageSpec = {}): string {
    const layers = spec.layers ?? [
      { sizeBytes: 5_000_000, createdBy: 'COPY app /var/task # buildkit' },
    ];
    const history = [
      ...(spec.emptyHistory ?? []).map((line) => ({ created_by: line, empty_layer: true })),
      ...layers.map((l) => ({ created_by: l.createdBy })),
    ];
    const config: ImageConfig = {
      architecture: spec.architecture ?? 'amd64',
      os: 'linux',
      config: {
        Entrypoint: ['/lambda-entrypoint.sh'],
        Cmd: ['index.handler'],
        Env: [`LABEL=${spec.label ?? ''}`],
      },
      history,
    };
    const configBody = JSON.stringify(config);
    const configDigest = sha256(configBody);
    const body = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: configDigest,
        size: configBody.length,
      },
      layers: layers.map((l, i) => ({
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: sha256(`${spec.label ?? ''}:${i}:${l.createdBy}:${l.sizeBytes}`),
        size: l.sizeBytes,
      })),
    });
    return this.putManifest(repository, tag, body, OCI_MANIFEST, { [configDigest]: config });
  }

  /** Pushes a multi-architecture index; returns its digest. */
  pushIndex(repository: string, tag: string, childDigests: readonly string[]): string {
    const body = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: childDigests.map((digest) => ({ mediaType: OCI_MANIFEST, digest, size: 100 })),
    });
    return this.putManifest(repository, tag, body, OCI_INDEX, {});
  }

  private putManifest(
    repository: string,
    tag: string | null,
    body: string,
    mediaType: string,
    blobs: Record<string, ImageConfig>,
  ): string {
    const repo = this.repo(repository);
    const digest = sha256(body);
    repo.manifests.set(digest, { repository, digest, mediaType, body });
    for (const [d, c] of Object.entries(blobs)) repo.blobs.set(d, c);
    if (tag) repo.tags.set(tag, digest);
    return digest;
  }

  /** Deletes an image by digest with all its tags (a registry's DELETE). */
  deleteImage(repository: string, digest: string): void {
    const repo = this.repo(repository);
    repo.manifests.delete(digest);
    for (const [tag, d] of repo.tags) if (d === digest) repo.tags.delete(tag);
  }

  /** The tags pointing at `digest`. */
  tagsOf(repository: string, digest: string): string[] {
    return [...this.repo(repository).tags].filter(([, d]) => d === digest).map(([t]) => t);
  }

  async getManifest(repository: string, reference: string): Promise<ManifestRecord> {
    const repo = this.repos.get(repository);
    const digest = reference.startsWith('sha256:') ? reference : repo?.tags.get(reference);
    const manifest = digest ? repo?.manifests.get(digest) : undefined;
    if (!manifest) throw new NotFoundError(`image ${repository}:${reference} not found`);
    return { ...manifest };
  }

  async getConfig(repository: string, configDigest: string): Promise<ImageConfig> {
    const config = this.repos.get(repository)?.blobs.get(configDigest);
    if (!config) throw new NotFoundError(`blob ${configDigest} not found in ${repository}`);
    return structuredClone(config);
  }

  async hasImage(repository: string, digest: string): Promise<boolean> {
    return this.repos.get(repository)?.manifests.has(digest) ?? false;
  }

  async putTag(repository: string, tag: string, manifest: ManifestRecord): Promise<void> {
    const repo = this.repo(repository);
    repo.manifests.set(manifest.digest, { ...manifest, repository });
    repo.tags.set(tag, manifest.digest);
  }

  async deleteTag(repository: string, tag: string): Promise<void> {
    this.repos.get(repository)?.tags.delete(tag);
  }
}

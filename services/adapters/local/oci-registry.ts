/**
 * The Registry port over the OCI distribution HTTP API (local mode's `docker-registry`).
 * Manifests are read with every manifest media type in `Accept` (an OCI manifest asked for without
 * its type is a 404; a Docker one without any comes back converted to schema1), kept as exact
 * bytes, and checked against their digest; retagging re-PUTs those bytes, so no blob moves.
 */
import { createHash } from 'node:crypto';
import {
  AccessDeniedError,
  InvalidRequestError,
  NotFoundError,
  TransientError,
} from '../../core/errors.ts';
import { isDigest, isTag, parseImageRef } from '../../core/image-ref.ts';
import type { ImageConfig, ManifestRecord, Registry } from '../../core/ports.ts';

/** Every manifest kind Ferry handles, for `Accept`. */
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
] as const;
const ACCEPT = MANIFEST_MEDIA_TYPES.join(', ');

/** Options for OciRegistry. */
export interface OciRegistryOptions {
  /** `http://127.0.0.1:<port>` (no trailing path). */
  readonly baseUrl: string;
  /** @default - the global fetch */
  readonly fetch?: typeof fetch;
  /** Per-request limit for metadata calls (not blob streams). @default 30000 */
  readonly timeoutMs?: number;
  /** `Authorization` sent with every call (local mode's registry takes a Basic login). @default - none */
  readonly authorization?: string;
}

const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Registry on an OCI distribution API (local mode's registry, with its login when given one). */
export class OciRegistry implements Registry {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly authorization: string | undefined;

  constructor(options: OciRegistryOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.authorization = options.authorization;
  }

  async getManifest(repository: string, reference: string): Promise<ManifestRecord> {
    const path = manifestPath(repository, reference);
    const res = await this.request('GET', path, { headers: { Accept: ACCEPT } });
    const bytes = new Uint8Array(await res.arrayBuffer());
    const digest = sha256(bytes);
    const claimed = res.headers.get('docker-content-digest');
    // A cut-short body or a proxy's rewrite must not become a release: fetching again may succeed.
    if ((claimed && claimed !== digest) || (isDigest(reference) && reference !== digest)) {
      throw new TransientError(`GET ${path} returned bytes with digest ${digest}`);
    }
    const body = Buffer.from(bytes).toString('utf8');
    return { repository, digest, mediaType: mediaTypeOf(res, body, path), body };
  }

  async getConfig(repository: string, configDigest: string): Promise<ImageConfig> {
    const path = blobPath(repository, configDigest);
    const bytes = new Uint8Array(await (await this.request('GET', path)).arrayBuffer());
    if (sha256(bytes) !== configDigest) {
      throw new TransientError(`GET ${path} returned bytes with digest ${sha256(bytes)}`);
    }
    try {
      return JSON.parse(Buffer.from(bytes).toString('utf8')) as ImageConfig;
    } catch (error) {
      throw new InvalidRequestError(`config blob ${repository}@${configDigest} is not JSON`, {
        cause: error,
      });
    }
  }

  async hasImage(repository: string, digest: string): Promise<boolean> {
    if (!isDigest(digest)) throw new InvalidRequestError(`"${digest}" is not a sha256 digest`);
    try {
      await this.request('HEAD', manifestPath(repository, digest), { headers: { Accept: ACCEPT } });
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  async putTag(repository: string, tag: string, manifest: ManifestRecord): Promise<void> {
    if (!isTag(tag)) throw new InvalidRequestError(`"${tag}" is not a valid tag`);
    const path = manifestPath(repository, tag);
    // The exact bytes: same digest, so the registry links the tag to the blobs it already holds.
    const res = await this.request('PUT', path, {
      headers: { 'Content-Type': manifest.mediaType },
      body: Buffer.from(manifest.body, 'utf8'),
    });
    const digest = res.headers.get('docker-content-digest');
    if (digest && digest !== manifest.digest) {
      throw new InvalidRequestError(`PUT ${path} stored digest ${digest}, not ${manifest.digest}`);
    }
  }

  /**
   * Removes `tag`. The distribution API cannot untag: it deletes a manifest by digest, which drops
   * every tag on it. So the manifest is deleted only when no other tag points at the same digest;
   * otherwise the tag is left in place (a candidate tag then lingers next to its release tag).
   * Not atomic: a tag added to the digest between the check and the delete goes too.
   */
  async deleteTag(repository: string, tag: string): Promise<void> {
    const digest = await this.digestOf(repository, tag);
    if (!digest) return;
    for (const other of await this.listTags(repository)) {
      if (other !== tag && (await this.digestOf(repository, other)) === digest) return;
    }
    await this.deleteManifest(repository, digest);
  }

  /**
   * Deletes the manifest `digest` (and so every tag on it); false when the registry had no such
   * manifest (or repository). Its blobs stay until the registry's garbage collection runs.
   */
  async deleteManifest(repository: string, digest: string): Promise<boolean> {
    if (!isDigest(digest)) throw new InvalidRequestError(`"${digest}" is not a sha256 digest`);
    try {
      await this.request('DELETE', manifestPath(repository, digest));
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  /**
   * A blob's bytes as a stream (layers can be large). Not verified here: the reader checks the
   * digest as it consumes the stream.
   */
  async getBlob(repository: string, digest: string): Promise<ReadableStream<Uint8Array>> {
    const res = await this.request('GET', blobPath(repository, digest), { stream: true });
    if (!res.body) throw new TransientError(`GET ${blobPath(repository, digest)} had no body`);
    return res.body;
  }

  /**
   * Every tag in the repository (follows the API's `Link` pagination, `pageSize` tags a page when
   * given); NotFoundError when unknown.
   */
  async listTags(repository: string, pageSize?: number): Promise<string[]> {
    const tags: string[] = [];
    const first = `/v2/${checkRepository(repository)}/tags/list`;
    let next: string | undefined = pageSize ? `${first}?n=${pageSize}` : first;
    while (next) {
      const res = await this.request('GET', next);
      const page = (await res.json()) as { tags?: string[] | null };
      tags.push(...(page.tags ?? []));
      next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
    }
    return tags;
  }

  /** The digest `tag` points at, or null when the tag (or repository) does not exist. */
  private async digestOf(repository: string, tag: string): Promise<string | null> {
    try {
      const res = await this.request('HEAD', manifestPath(repository, tag), {
        headers: { Accept: ACCEPT },
      });
      return res.headers.get('docker-content-digest');
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  /** One call; any answer but 2xx becomes a named error. */
  private async request(
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: Buffer; stream?: boolean } = {},
  ): Promise<Response> {
    const what = `${method} ${this.baseUrl}${path}`;
    let res: Response;
    try {
      res = await this.fetch(new URL(path, this.baseUrl), {
        method,
        headers: {
          ...init.headers,
          ...(this.authorization ? { Authorization: this.authorization } : {}),
        },
        ...(init.body ? { body: init.body } : {}),
        // A blob stream may take long; metadata calls must not hang a workflow step.
        ...(init.stream ? {} : { signal: AbortSignal.timeout(this.timeoutMs) }),
      });
    } catch (error) {
      throw new TransientError(`${what} failed: ${describeCause(error)}`, { cause: error });
    }
    if (res.ok) return res;
    const message = `${what} answered HTTP ${res.status}${await errorDetail(res)}`;
    if (res.status === 404) throw new NotFoundError(message);
    if (res.status === 401 || res.status === 403) throw new AccessDeniedError(message);
    if (res.status >= 500 || res.status === 429 || res.status === 408) {
      throw new TransientError(message);
    }
    throw new InvalidRequestError(message);
  }
}

/** A repository name as the port takes it (no registry host, no tag); refuses anything else. */
function checkRepository(repository: string): string {
  let ref: ReturnType<typeof parseImageRef> | undefined;
  try {
    ref = parseImageRef(repository);
  } catch {
    // reported below
  }
  if (!ref || ref.registry || ref.tag || ref.digest || ref.repository !== repository) {
    throw new InvalidRequestError(`"${repository}" is not a repository name like team/app`);
  }
  return repository;
}

function manifestPath(repository: string, reference: string): string {
  if (!isTag(reference) && !isDigest(reference)) {
    throw new InvalidRequestError(`"${reference}" is neither a tag nor a sha256 digest`);
  }
  return `/v2/${checkRepository(repository)}/manifests/${reference}`;
}

function blobPath(repository: string, digest: string): string {
  if (!isDigest(digest)) throw new InvalidRequestError(`"${digest}" is not a sha256 digest`);
  return `/v2/${checkRepository(repository)}/blobs/${digest}`;
}

/** The manifest's media type: the registry's Content-Type, else the body's own field. */
function mediaTypeOf(res: Response, body: string, path: string): string {
  const header = res.headers.get('content-type')?.split(';')[0]?.trim();
  if (header && (MANIFEST_MEDIA_TYPES as readonly string[]).includes(header)) return header;
  try {
    const parsed = JSON.parse(body) as { mediaType?: string; manifests?: unknown };
    return (
      parsed.mediaType ?? (parsed.manifests ? MANIFEST_MEDIA_TYPES[2] : MANIFEST_MEDIA_TYPES[0])
    );
  } catch (error) {
    throw new InvalidRequestError(`GET ${path} returned a manifest that is not JSON`, {
      cause: error,
    });
  }
}

/** The registry's own error code and message (`{ errors: [{ code, message }] }`), if any. */
async function errorDetail(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const first = (JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> })
      .errors?.[0];
    return first ? `: ${first.code ?? ''} ${first.message ?? ''}`.trimEnd() : '';
  } catch {
    return '';
  }
}

/** The network error's code (ECONNREFUSED, …) hides in fetch's `cause`. */
function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}

/**
 * A real `docker-registry` for tests: 127.0.0.1, a free port, storage in a fresh temp directory
 * that stop() removes. Also a tiny pusher that uploads an image through the distribution API, for
 * tests that need an image in a registry but not a build.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  basicAuth,
  type RegistryLogin,
  type RegistryProcessOptions,
  startRegistry,
} from '../../local/registry-process.ts';

/** A registry started for one test file. */
export interface TestRegistry {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `127.0.0.1:<port>` */
  readonly host: string;
  /** The registry's directory (`storage/` is its storage root, `config.yml` its config). */
  readonly dir: string;
  /** Stops the registry process around `work`, then starts it again. */
  whileStopped<T>(work: () => Promise<T>): Promise<T>;
  /** Stops the registry and deletes its storage. */
  stop(): Promise<void>;
}

/** Starts a registry in a temp dir; unexpected exits fail loudly on stderr (never hidden). */
export async function startTestRegistry(
  options: Omit<RegistryProcessOptions, 'dir'> = {},
): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-test-registry-'));
  const registry = await startRegistry({ dir, ...options }).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    url: registry.url,
    host: registry.host,
    dir,
    whileStopped: (work) => registry.whileStopped(work),
    stop: async () => {
      await registry.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** `Authorization` for a login, or no header. */
const authHeaders = (login?: RegistryLogin): Record<string, string> =>
  login ? { Authorization: basicAuth(login) } : {};

/** Uploads one blob (monolithic POST + PUT) and returns its digest. */
export async function uploadBlob(
  url: string,
  repository: string,
  bytes: Buffer,
  login?: RegistryLogin,
): Promise<string> {
  const digest = sha256(bytes);
  const start = await fetch(`${url}/v2/${repository}/blobs/uploads/`, {
    method: 'POST',
    headers: authHeaders(login),
  });
  if (start.status !== 202) throw new Error(`blob upload start answered ${start.status}`);
  const location = new URL(start.headers.get('location') ?? '', url);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/octet-stream', ...authHeaders(login) },
    body: bytes,
  });
  if (put.status !== 201) throw new Error(`blob upload answered ${put.status}`);
  return digest;
}

/**
 * Pushes a tiny OCI image (a config and one opaque layer) under `tag` through the HTTP API and
 * returns its manifest digest. `seed` makes distinct images.
 */
export async function pushTinyImage(
  url: string,
  repository: string,
  tag: string,
  seed = 'ferry',
  login?: RegistryLogin,
): Promise<{ digest: string; manifest: string }> {
  const layer = Buffer.from(`layer ${seed}`);
  const layerDigest = await uploadBlob(url, repository, layer, login);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [layerDigest] },
      history: [{ created_by: `tiny ${seed}` }],
    }),
  );
  const configDigest = await uploadBlob(url, repository, config, login);
  const mediaType = 'application/vnd.oci.image.manifest.v1+json';
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType,
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: configDigest,
      size: config.length,
    },
    layers: [
      {
        mediaType: 'application/vnd.oci.image.layer.v1.tar',
        digest: layerDigest,
        size: layer.length,
      },
    ],
  });
  const put = await fetch(`${url}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { 'Content-Type': mediaType, ...authHeaders(login) },
    body: manifest,
  });
  if (put.status !== 201)
    throw new Error(`manifest PUT answered ${put.status}: ${await put.text()}`);
  return { digest: sha256(Buffer.from(manifest)), manifest };
}

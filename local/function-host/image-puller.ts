/**
 * Pulls one image (manifest, config, layers) from an OCI distribution registry into a
 * directory, checking every byte against its digest. Plain `fetch`: the function host needs
 * only these three GETs, and a digest mismatch must fail the pull, never run altered code.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NotFoundError, TransientError } from '../../services/core/errors.ts';
import type { Architecture, ImageConfig } from '../../services/core/ports.ts';

const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

interface Descriptor {
  readonly digest: string;
  readonly mediaType?: string;
  readonly platform?: { readonly architecture?: string; readonly os?: string };
}

interface Manifest {
  readonly mediaType?: string;
  readonly config?: Descriptor;
  readonly layers?: readonly Descriptor[];
  readonly manifests?: readonly Descriptor[];
}

/** A pulled image: its config and its layer files, lowest first. */
export interface PulledImage {
  readonly config: ImageConfig;
  readonly layerFiles: readonly string[];
}

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function get(url: string, auth: string | undefined, accept?: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { ...(accept ? { Accept: accept } : {}), ...(auth ? { Authorization: auth } : {}) },
    });
  } catch (error) {
    throw new TransientError(`registry unreachable at ${url}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (res.status === 404) throw new NotFoundError(`registry has no ${url}`);
  if (!res.ok || !res.body) throw new TransientError(`registry answered ${res.status} for ${url}`);
  return res;
}

/** Fetches a small blob or manifest and checks its digest. */
async function getVerified(
  url: string,
  digest: string,
  auth: string | undefined,
  accept?: string,
): Promise<Buffer> {
  const body = Buffer.from(await (await get(url, auth, accept)).arrayBuffer());
  if (sha256(body) !== digest) throw new TransientError(`digest mismatch for ${url}`);
  return body;
}

/** Streams a blob to `file`, hashing on the way. */
async function download(
  url: string,
  digest: string,
  file: string,
  auth: string | undefined,
): Promise<void> {
  const res = await get(url, auth);
  const hash = createHash('sha256');
  const tee = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(res.body as never), tee, createWriteStream(file));
  if (`sha256:${hash.digest('hex')}` !== digest) {
    throw new TransientError(`layer ${digest} from ${url} does not match its digest`);
  }
}

const OCI_ARCH: Record<Architecture, string> = { x86_64: 'amd64', arm64: 'arm64' };

/**
 * Pulls `repository@digest` from `registryUrl` into `dir`. An index (multi-arch) resolves to
 * the linux manifest for `architecture`. NotFoundError when the image is absent.
 */
export async function pullImage(
  registryUrl: string,
  repository: string,
  digest: string,
  dir: string,
  architecture: Architecture = 'x86_64',
  /** `Authorization` for every call (local mode's registry login). */
  auth?: string,
): Promise<PulledImage> {
  const base = `${registryUrl.replace(/\/+$/, '')}/v2/${repository}`;
  let manifest = JSON.parse(
    (await getVerified(`${base}/manifests/${digest}`, digest, auth, MANIFEST_TYPES)).toString(
      'utf8',
    ),
  ) as Manifest;
  if (manifest.manifests) {
    const wanted = OCI_ARCH[architecture];
    const entry =
      manifest.manifests.find(
        (m) => m.platform?.architecture === wanted && (m.platform.os ?? 'linux') === 'linux',
      ) ?? manifest.manifests[0];
    if (!entry) throw new NotFoundError(`image index ${repository}@${digest} lists no manifests`);
    const body = await getVerified(
      `${base}/manifests/${entry.digest}`,
      entry.digest,
      auth,
      MANIFEST_TYPES,
    );
    manifest = JSON.parse(body.toString('utf8')) as Manifest;
  }
  if (!manifest.config || !manifest.layers) {
    throw new NotFoundError(`${repository}@${digest} is not an image manifest`);
  }
  const configDigest = manifest.config.digest;
  const config = JSON.parse(
    (await getVerified(`${base}/blobs/${configDigest}`, configDigest, auth)).toString('utf8'),
  ) as ImageConfig;
  const layerFiles: string[] = [];
  // Sequential on purpose: local registry, small images; keeps peak disk and sockets low.
  for (const [index, layer] of manifest.layers.entries()) {
    const file = join(dir, `layer-${index}`);
    await download(`${base}/blobs/${layer.digest}`, layer.digest, file, auth);
    layerFiles.push(file);
  }
  return { config, layerFiles };
}

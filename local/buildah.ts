/**
 * Running buildah for local mode: its own storage (`--root`/`--runroot` under one directory, vfs,
 * so nothing touches the machine's global image store and no kernel overlay support is needed),
 * commands spawned from argv arrays with their output in a build log, and the local base image.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStaticElf } from './preflight.ts';

/** The base image the examples build FROM: busybox-static only (this machine cannot pull). */
export const BUSYBOX_BASE = 'localhost/ferry/busybox:latest';
const BASE_DOCKERFILE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'examples',
  'base',
  'Dockerfile',
);

/** buildah's global flags for a storage directory (`<root>/storage`, `<root>/run`). */
export function buildahStorageArgs(root: string): string[] {
  return [
    '--root',
    join(root, 'storage'),
    '--runroot',
    join(root, 'run'),
    '--storage-driver',
    'vfs',
  ];
}

/** Spawns `command` (argv, no shell) with stdout and stderr appended to the open file `logFd`. */
export function spawnLogged(
  command: string,
  args: readonly string[],
  options: { logFd: number | 'ignore'; env?: Record<string, string>; timeoutMs?: number },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', options.logFd, options.logFd],
      env: { ...process.env, ...options.env },
      ...(options.timeoutMs ? { timeout: options.timeoutMs, killSignal: 'SIGKILL' as const } : {}),
    });
    child.once('error', (error) =>
      reject(new Error(`${command} could not start: ${error.message}`)),
    );
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/** True when the image is in the storage. */
export async function hasLocalImage(storageRoot: string, name: string): Promise<boolean> {
  return spawnLogged(
    'buildah',
    [...buildahStorageArgs(storageRoot), 'inspect', '--type', 'image', name],
    { logFd: 'ignore' },
  ).then(
    () => true,
    () => false,
  );
}

/**
 * Builds {@link BUSYBOX_BASE} into the storage unless it is there: examples/base/Dockerfile with
 * the host's busybox, which must be static (a dynamic one finds no libc in a FROM scratch image).
 */
export async function ensureBusyboxBase(
  storageRoot: string,
  options: { logFd: number | 'ignore'; busybox?: string },
): Promise<void> {
  if (await hasLocalImage(storageRoot, BUSYBOX_BASE)) return;
  const busybox = options.busybox ?? '/bin/busybox';
  if (!(await isStaticElf(busybox))) {
    throw new Error(
      `${busybox} is missing or not statically linked: install it with apt-get install -y busybox-static`,
    );
  }
  const context = await mkdtemp(join(tmpdir(), 'ferry-base-'));
  try {
    await copyFile(busybox, join(context, 'busybox'));
    await spawnLogged(
      'buildah',
      [
        ...buildahStorageArgs(storageRoot),
        'bud',
        '--isolation',
        'chroot',
        '-f',
        BASE_DOCKERFILE,
        '-t',
        BUSYBOX_BASE,
        context,
      ],
      { logFd: options.logFd },
    );
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

/**
 * Starts an image's process in its own PID, mount, UTS and IPC namespaces, chrooted into its
 * root filesystem — the fastest local runtime measured on these machines (tens of ms to start).
 *
 * The launcher script is a constant: every dynamic value (root path, environment, argv)
 * arrives as a positional argument, so nothing from an image is ever parsed as shell text.
 * Inside the new mount namespace (private propagation: nothing leaks to the host) it makes
 * the shared rootfs read-only like Lambda's, mounts proc, a tmpfs /dev holding the host's
 * null/zero/random/urandom/tty, and a tmpfs /tmp (world-writable, sticky, sized by the
 * function's ephemeral storage), then execs `env -i` (only the given environment) and
 * `unshare --fork --root --wd --setuid --setgid` into the entrypoint: that unshare stays the
 * namespace's PID 1, as root, and its child chroots, changes directory and becomes — like
 * Lambda, whose functions run as sbx_user1051, uid/gid 993 — uid/gid 993 with no supplementary
 * groups (util-linux's unshare clears them with --setgid) before it execs the entrypoint. So a
 * function that needs root, or an image file readable only by root, fails here as it would on
 * Lambda. PID 1 keeps its root credentials on purpose: the kernel clears a process's
 * parent-death signal when its uid changes, and PID 1's (`--kill-child`) is what takes the
 * namespace down with the launcher.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

const LAUNCH_SCRIPT = `set -eu
root=$1; tmpsize=$2; shift 2
mount --bind "$root" "$root"
mount -o remount,bind,ro "$root"
mount -t proc proc "$root/proc"
mount -t tmpfs -o mode=755,size=64k tmpfs "$root/dev"
for d in null zero random urandom tty; do
  : > "$root/dev/$d"
  mount --bind "/dev/$d" "$root/dev/$d"
done
mount -t tmpfs -o "mode=1777,size=$tmpsize" tmpfs "$root/tmp"
exec "$@"`;

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Absolute path of a host tool (env -i empties PATH, so the chain uses absolute paths). */
function which(tool: string): string {
  for (const dir of SYSTEM_PATH.split(':')) {
    const path = join(dir, tool);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // next directory
    }
  }
  throw new Error(`${tool} not found in ${SYSTEM_PATH}: install util-linux and coreutils`);
}

/** What to run and where. */
export interface LaunchSpec {
  readonly rootfs: string;
  /** ENTRYPOINT + CMD, non-empty. */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Inside the image; `/` when the image names none. */
  readonly workingDir: string;
  /** Size of the tmpfs /tmp (Lambda's default ephemeral storage is 512 MB). */
  readonly tmpSize?: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Lambda's function user (sbx_user1051) and group. */
export const LAMBDA_UID = 993;
export const LAMBDA_GID = 993;

/** Launchers alive now: if the host process exits without close(), they die with it. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Spawns the launcher; the returned child is the outer `unshare`. Stop it with SIGKILL:
 * `--kill-child` then kills the namespace's PID 1, which takes every process in it along.
 */
export function launch(spec: LaunchSpec): ChildProcess {
  const envPairs = Object.entries(spec.env)
    // A name that is not an identifier could be read by env as an option or the command.
    .filter(([name]) => ENV_NAME.test(name))
    .map(([name, value]) => `${name}=${value}`);
  const args = [
    '--fork',
    '--pid',
    '--mount',
    '--uts',
    '--ipc',
    '--kill-child=SIGKILL',
    which('sh'),
    '-c',
    LAUNCH_SCRIPT,
    'ferry-launch',
    spec.rootfs,
    spec.tmpSize ?? '512m',
    which('env'),
    '-i',
    '--',
    ...envPairs,
    which('unshare'),
    '--fork',
    `--root=${spec.rootfs}`,
    `--wd=${spec.workingDir || '/'}`,
    `--setgid=${LAMBDA_GID}`,
    `--setuid=${LAMBDA_UID}`,
    '--',
    ...spec.argv,
  ];
  const child = spawn(which('unshare'), args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: SYSTEM_PATH },
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.once('error', () => running.delete(child));
  return child;
}

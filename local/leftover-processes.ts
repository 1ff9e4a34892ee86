/**
 * Processes a killed Ferry left running on its FERRY_HOME. Its children die with it when its
 * whole process group is killed; a kill of the Node process alone leaves docker-registry (its
 * config under FERRY_HOME/registry), a build (buildah, its storage under FERRY_HOME/buildah) and
 * the function host's launchers and instances (chrooted under FERRY_HOME/functions) behind, holding storage and ports and posting to a dead API.
 * Called once this process holds FERRY_HOME (dynalite's LevelDB lock), so whatever else uses
 * it belongs to a Ferry that is gone.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';
import { basename } from 'node:path';

/** The programs Ferry starts with a path under FERRY_HOME among their arguments. */
const CHILD_PROGRAMS: ReadonlySet<string> = new Set(['buildah', 'docker-registry', 'unshare']);

/**
 * PIDs of processes other than this one (and its parent) chrooted under `home`, or started by
 * Ferry (one of its programs) with a path under it: someone's `tail -f` of a log there is not.
 */
export async function processesUnder(home: string): Promise<number[]> {
  const prefix = home.endsWith('/') ? home : `${home}/`;
  const mine = new Set([process.pid, process.ppid]);
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((n) => /^\d+$/.test(n));
  } catch {
    return []; // no procfs: nothing to look at
  }
  const found: number[] = [];
  for (const pid of pids.map(Number).filter((p) => !mine.has(p))) {
    const root = await readlink(`/proc/${pid}/root`).catch(() => '');
    // argv is NUL-separated: a path argument under home starts right after a NUL.
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    const ours = CHILD_PROGRAMS.has(basename(argv[0] ?? ''));
    if (root.startsWith(prefix) || (ours && argv.some((a) => a.startsWith(prefix))))
      found.push(pid);
  }
  return found;
}

/** True while `pid` runs: gone, or a zombie (dead, its ports and files closed), is not running. */
async function running(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && !/^\d+ \(.*\) [ZX]/.test(stat);
}

/**
 * SIGKILLs every leftover under `home` and waits (up to 5 s) until none runs, so the ports and
 * storage they held are free when this returns; returns their PIDs.
 */
export async function killLeftovers(home: string): Promise<number[]> {
  const pids = await processesUnder(home);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  const deadline = Date.now() + 5_000;
  for (let left = pids; left.length > 0 && Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 20));
    const still = await Promise.all(left.map(running));
    left = left.filter((_, i) => still[i]);
  }
  return pids;
}

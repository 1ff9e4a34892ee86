/**
 * Max Memory Used, cheaply: the sum of VmHWM (each process's peak resident set) over the
 * function's processes, read through the namespace's own /proc — the one the launcher mounts at
 * `<rootfs>/proc` in its mount namespace — as `/proc/<PID 1>/root<rootfs>/proc`. That lists only
 * the namespace's processes (typically 2-4 files to read, well under a millisecond), where
 * walking the host's /proc costs several ms per invoke. PID 1 is the launcher's `unshare`
 * waiting for the function (launcher.ts), not the function: it is left out of the sum. Finding
 * PID 1 (the launcher's child) needs one walk of the host's /proc per instance (this kernel has
 * no /proc/<pid>/task/<tid>/children).
 *
 * Cgroup accounting would also count exited children, but the memory cgroup here belongs to
 * the machine's supervisor and reports 0: not ours to use. A sum of per-process peaks can
 * overstate a moment's total; for one runtime process (the usual Lambda shape) it is exact.
 * Processes that already exited are not counted.
 *
 * Until the launcher has mounted it, `<rootfs>/proc` is an empty directory (or, seen from
 * elsewhere, not the namespace's): a sample is taken only once that path shows the namespace's
 * own PID 1 (the same PID namespace as the one found), else it is null.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';
import { resolve } from 'node:path';

const numeric = (name: string) => /^\d+$/.test(name);

async function parentOf(pid: string): Promise<string | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces and parentheses): state, ppid.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? null;
  } catch {
    return null; // exited while we looked
  }
}

/** The host PID of `launcherPid`'s child (the namespace's PID 1), or null. */
async function childOf(launcherPid: number): Promise<string | null> {
  const pids = (await readdir('/proc')).filter(numeric);
  const parents = await Promise.all(pids.map(parentOf));
  return pids.find((_, i) => parents[i] === String(launcherPid)) ?? null;
}

async function hwmKb(statusFile: string): Promise<number> {
  try {
    return Number(/^VmHWM:\s+(\d+) kB/m.exec(await readFile(statusFile, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Samples one instance's peak memory; see module doc. */
export class MemorySampler {
  private nsProc: Promise<string | null> | null = null;

  constructor(
    private readonly launcherPid: number,
    private readonly rootfs: string,
  ) {}

  /** Finds the namespace's /proc once the process is up (sample() does it too); kept once found. */
  locate(): Promise<string | null> {
    const found =
      this.nsProc ??
      childOf(this.launcherPid).then(
        // Absolute as the launcher saw it: it runs in this process's working directory.
        (init) => (init ? `/proc/${init}/root${resolve(this.rootfs)}/proc` : null),
        () => null,
      );
    this.nsProc = found;
    // Too early (not forked yet) or unreadable: let the next call look again.
    void found.then((proc) => {
      if (proc === null && this.nsProc === found) this.nsProc = null;
    });
    return found;
  }

  /** Summed VmHWM in MB (rounded up); null when nothing can be read (or not yet the namespace's). */
  async sample(): Promise<number | null> {
    const proc = await this.locate();
    if (!proc) return null;
    const ns = (path: string) => readlink(path).catch(() => null);
    const [inside, own] = await Promise.all([
      ns(`${proc}/1/ns/pid`),
      ns(`${proc.slice(0, proc.indexOf('/root/'))}/ns/pid`),
    ]);
    if (inside === null || inside !== own) return null;
    const pids = (await readdir(proc).catch(() => [] as string[])).filter(
      (pid) => numeric(pid) && pid !== '1',
    );
    const kb = (await Promise.all(pids.map((pid) => hwmKb(`${proc}/${pid}/status`)))).reduce(
      (a, b) => a + b,
      0,
    );
    return kb > 0 ? Math.ceil(kb / 1024) : null;
  }
}

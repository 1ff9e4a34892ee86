/**
 * The StorageReclaimer port in local mode. Deleting a manifest through the distribution API only
 * unlinks it; its blobs stay on disk until `docker-registry garbage-collect` sweeps every blob no
 * remaining manifest references. That must not run while the registry accepts pushes (a blob
 * uploaded for a manifest not yet put looks unreferenced), so the registry is stopped around it.
 * Then the function host's unpacked root filesystems that no function's $LATEST or published
 * version runs, and no live instance was started from, are removed. Bytes are measured on disk (allocated blocks) before and after.
 *
 * Not `--delete-untagged`: that would also delete every untagged manifest, including one a
 * version still runs by digest. Which images go is the collection plan's decision alone; the
 * garbage collection only frees the blobs of manifests already deleted.
 */
import { spawn } from 'node:child_process';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FunctionHost } from '../../../local/function-host/function-host.ts';
import type { StorageReclaimer } from '../../core/ports.ts';

/** Options for {@link LocalStorageReclaimer}. */
export interface LocalStorageReclaimerOptions {
  /** The registry's directory: `config.yml` and `storage/` (`$FERRY_HOME/registry`). */
  readonly registryDir: string;
  /** Runs `work` while the registry is stopped, then starts it again (RunningRegistry.whileStopped). */
  readonly whileRegistryStopped: <T>(work: () => Promise<T>) => Promise<T>;
  /** The function host whose unpacked images are pruned. */
  readonly host: FunctionHost;
  /** @default 'docker-registry' (from PATH) */
  readonly binary?: string;
}

/** Registry garbage collection, then unused root filesystems (see module doc). */
export class LocalStorageReclaimer implements StorageReclaimer {
  constructor(private readonly options: LocalStorageReclaimerOptions) {}

  async reclaim(): Promise<{ readonly reclaimedBytes: number }> {
    const { registryDir, host } = this.options;
    const dirs = [join(registryDir, 'storage'), host.images.dir];
    const before = await totalBytes(dirs);
    await this.options.whileRegistryStopped(() =>
      run(this.options.binary ?? 'docker-registry', [
        'garbage-collect',
        join(registryDir, 'config.yml'),
      ]),
    );
    for (const hex of await host.images.unpacked()) {
      // Checked right before each removal: an update may have started using the digest since.
      if (!host.codeInUse(hex)) await host.images.remove(hex);
    }
    const after = await totalBytes(dirs);
    return { reclaimedBytes: Math.max(0, before - after) };
  }
}

/** Bytes allocated on disk under each directory (files, directories, links), like `du -B1`. */
export async function totalBytes(dirs: readonly string[]): Promise<number> {
  let total = 0;
  const walk = async (path: string): Promise<void> => {
    const info = await lstat(path).catch(() => null);
    if (!info) return;
    total += info.blocks * 512;
    if (!info.isDirectory()) return;
    for (const name of await readdir(path).catch(() => [] as string[])) {
      await walk(join(path, name));
    }
  };
  for (const dir of dirs) await walk(dir);
  return total;
}

/** Runs a command (no shell); rejects with its output's tail when it fails. */
function run(binary: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) return resolve();
      const how = signal ?? `code ${code}`;
      reject(new Error(`${binary} ${args.join(' ')} exited (${how}):\n${output.trimEnd()}`));
    });
  });
}

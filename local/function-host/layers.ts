/**
 * Applies image layers to a root filesystem the way an overlay would: each layer's whiteouts
 * (`.wh.NAME`) delete NAME from the layers below, an opaque marker (`.wh..wh..opq`) empties its
 * directory below, then the layer's entries replace what was there.
 *
 * Safety: a layer is never extracted over an existing tree. The lowest layer goes into an
 * empty directory (GNU tar defers absolute/`..` symlinks until the end of an archive, so
 * entries cannot escape through them); every later layer goes into a fresh scratch directory
 * and is merged with lstat/rename only, so a symlink a lower layer left behind is replaced,
 * never followed out of the root.
 */
import { spawn } from 'node:child_process';
import { chmod, chown, lstat, mkdir, readdir, rename, rm, utimes } from 'node:fs/promises';
import { join } from 'node:path';

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** Runs tar with argv (no shell); rejects with its stderr. GNU tar detects gzip/zstd itself. */
function untar(layerFile: string, dir: string, extra: readonly string[] = []): Promise<void> {
  const args = ['-x', '-f', layerFile, '-C', dir, '--numeric-owner', '-p', ...extra];
  return new Promise((resolve, reject) => {
    const child = spawn('tar', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`tar ${layerFile} exited ${code}: ${stderr.trim()}`)),
    );
  });
}

const removeTree = (path: string) => rm(path, { recursive: true, force: true });

/** Deletes every whiteout entry under `dir` (they mean nothing where nothing lies below). */
async function stripWhiteouts(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.name.startsWith(WHITEOUT)) await removeTree(path);
    else if (entry.isDirectory()) await stripWhiteouts(path);
  }
}

/** Merges the extracted layer `src` into `dst` (both real directories). */
async function merge(src: string, dst: string): Promise<void> {
  const names = await readdir(src);
  if (names.includes(OPAQUE)) {
    for (const below of await readdir(dst)) await removeTree(join(dst, below));
  }
  for (const name of names) {
    if (name.startsWith(WHITEOUT) && name !== OPAQUE) {
      await removeTree(join(dst, name.slice(WHITEOUT.length)));
    }
  }
  for (const name of names) {
    if (name.startsWith(WHITEOUT)) continue;
    const from = join(src, name);
    const to = join(dst, name);
    const fromStat = await lstat(from);
    const toStat = await lstat(to).catch(() => null);
    if (fromStat.isDirectory() && toStat?.isDirectory()) {
      await merge(from, to);
      // The layer's directory metadata wins, set after its children changed the mtime.
      await chown(to, fromStat.uid, fromStat.gid);
      await chmod(to, fromStat.mode & 0o7777);
      await utimes(to, fromStat.atime, fromStat.mtime);
      continue;
    }
    if (toStat) await removeTree(to);
    await rename(from, to);
    if (fromStat.isDirectory()) await stripWhiteouts(to);
  }
}

/**
 * Applies `layerFiles` (lowest first) to the empty directory `root`; `scratch` is a directory
 * on the same filesystem for extracting upper layers (renames must not cross devices).
 */
export async function applyLayers(
  root: string,
  layerFiles: readonly string[],
  scratch: string,
): Promise<void> {
  for (const [index, file] of layerFiles.entries()) {
    if (index === 0) {
      await untar(file, root, ['--exclude=.wh.*']);
      continue;
    }
    const dir = join(scratch, `layer-${index}`);
    await mkdir(dir);
    await untar(file, dir);
    await merge(dir, root);
    await removeTree(dir);
  }
}

/**
 * Creates the image's WorkingDir (as runc does when it is missing): the rootfs is read-only at
 * run time. A symlink on the way is left alone rather than followed out of the root.
 */
export async function ensureWorkingDir(
  root: string,
  workingDir: string | undefined,
): Promise<void> {
  let path = root;
  for (const part of (workingDir ?? '').split('/').filter((p) => p && p !== '.' && p !== '..')) {
    path = join(path, part);
    const stat = await lstat(path).catch(() => null);
    if (!stat) await mkdir(path, { mode: 0o755 });
    else if (!stat.isDirectory()) return;
  }
}

/** Makes `root/<name>` a real, empty-or-kept directory for the launcher to mount over. */
export async function ensureMountPoint(root: string, name: string, mode = 0o755): Promise<void> {
  const path = join(root, name);
  const stat = await lstat(path).catch(() => null);
  if (stat?.isDirectory()) return;
  // A symlink here would make the launcher's mount land wherever it points.
  if (stat) await removeTree(path);
  await mkdir(path, { mode });
}

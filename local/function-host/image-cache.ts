/**
 * Root filesystems by image digest: `<stateDir>/rootfs/<digest hex>/` plus its config beside
 * it (`<hex>.json`). Each digest is pulled and unpacked once — into a temp directory renamed
 * into place, so a half-unpacked tree is never visible and a crash leaves only temp litter
 * (swept on the next start). Concurrent requests for one digest share a single unpack.
 */
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseImageRef } from '../../services/core/image-ref.ts';
import type { Architecture, ImageConfig } from '../../services/core/ports.ts';
import { readJson, writeJsonAtomic } from './atomic-json.ts';
import { codeOf } from './function-model.ts';
import { pullImage } from './image-puller.ts';
import { applyLayers, ensureMountPoint, ensureWorkingDir } from './layers.ts';

/** An unpacked image, ready to run. */
export interface UnpackedImage {
  readonly digest: string;
  /** Absolute path of the root filesystem. */
  readonly rootfs: string;
  readonly config: ImageConfig;
  /** How long the pull + unpack took when it happened. */
  readonly unpackMs: number;
}

const TEMP_PREFIX = '.tmp-';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The local host's image store (see module doc). */
export class ImageCache {
  /** Unpacks this process performed (tests check "once per digest" with it). */
  unpacks = 0;
  private readonly inFlight = new Map<string, Promise<UnpackedImage>>();
  /** Trees found or unpacked, so warm invokes skip the disk; {@link remove} forgets one. */
  private readonly ready = new Map<string, UnpackedImage>();
  /** Where the trees are: `<stateDir>/rootfs`. */
  readonly dir: string;

  constructor(
    stateDir: string,
    private readonly registryUrl: string,
    private readonly registryAuth?: string,
  ) {
    this.dir = join(stateDir, 'rootfs');
  }

  /** Creates the store and removes temp directories whose owning process is gone. */
  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    for (const name of await readdir(this.dir)) {
      // `.tmp-<pid>-…` unpack dirs and `<hex>.json.tmp-<pid>-…` config writes.
      const at = name.indexOf(TEMP_PREFIX);
      const pid = Number(name.slice(at + TEMP_PREFIX.length).split('-')[0]);
      if (at >= 0 && !alive(pid)) await rm(join(this.dir, name), { recursive: true, force: true });
    }
  }

  /** The unpacked image for a pinned URI: from disk, or pulled and unpacked now. */
  ensure(imageUri: string, architecture?: Architecture): Promise<UnpackedImage> {
    const hex = codeOf(imageUri).codeSha256;
    const known = this.ready.get(hex);
    if (known) return Promise.resolve(known);
    const running = this.inFlight.get(hex);
    if (running) return running;
    const work = this.load(hex).then((found) => found ?? this.unpack(imageUri, hex, architecture));
    this.inFlight.set(hex, work);
    // A failure is forgotten, so the next call retries (the registry may have the image by then).
    work.then(
      (image) => {
        this.ready.set(hex, image);
        this.inFlight.delete(hex);
      },
      () => this.inFlight.delete(hex),
    );
    return work;
  }

  /** Digest hexes with an unpacked tree on disk. */
  async unpacked(): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    return names.filter((name) => /^[a-f0-9]{64}$/.test(name));
  }

  /**
   * Removes the tree of `hex` and its config (false when it is being unpacked right now, and so
   * may be wanted). The next ensure() of that digest pulls and unpacks it again.
   */
  async remove(hex: string): Promise<boolean> {
    if (this.inFlight.has(hex)) return false;
    this.ready.delete(hex);
    await rm(join(this.dir, hex), { recursive: true, force: true });
    await rm(join(this.dir, `${hex}.json`), { force: true });
    return true;
  }

  private async load(hex: string): Promise<UnpackedImage | null> {
    const rootfs = join(this.dir, hex);
    if (!(await stat(rootfs).catch(() => null))?.isDirectory()) return null;
    const meta = await readJson<Omit<UnpackedImage, 'rootfs'> | null>(`${rootfs}.json`, null);
    return meta ? { ...meta, rootfs } : null;
  }

  private async unpack(
    imageUri: string,
    hex: string,
    architecture?: Architecture,
  ): Promise<UnpackedImage> {
    const started = performance.now();
    const { repository } = parseImageRef(imageUri);
    const digest = `sha256:${hex}`;
    const temp = await mkdtemp(join(this.dir, `${TEMP_PREFIX}${process.pid}-`));
    try {
      const downloads = join(temp, 'layers');
      const root = join(temp, 'root');
      await mkdir(downloads);
      await mkdir(root, { mode: 0o755 });
      const pulled = await pullImage(
        this.registryUrl,
        repository,
        digest,
        downloads,
        architecture,
        this.registryAuth,
      );
      await applyLayers(root, pulled.layerFiles, temp);
      for (const name of ['proc', 'dev']) await ensureMountPoint(root, name);
      await ensureMountPoint(root, 'tmp', 0o1777);
      await ensureWorkingDir(root, pulled.config.config?.WorkingDir);
      const meta = { digest, config: pulled.config, unpackMs: performance.now() - started };
      // Config first: a rootfs directory in place always has its config beside it.
      await writeJsonAtomic(join(this.dir, `${hex}.json`), meta);
      const rootfs = join(this.dir, hex);
      try {
        await rename(root, rootfs);
      } catch (error) {
        // Another host process on this state dir finished the same digest first: use theirs.
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      }
      this.unpacks += 1;
      return { ...meta, rootfs };
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }
}

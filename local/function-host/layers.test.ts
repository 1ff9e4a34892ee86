import { execFile } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyLayers, ensureWorkingDir } from './layers.ts';

const run = promisify(execFile);

/** Writes `files` (path → content, or `{ link }`) into a fresh dir and tars it. */
async function layer(
  dir: string,
  name: string,
  files: Record<string, string | { link: string }>,
  gzip: boolean,
): Promise<string> {
  const src = join(dir, `${name}-src`);
  await mkdir(src);
  for (const [path, content] of Object.entries(files)) {
    const full = join(src, path);
    if (path.endsWith('/')) {
      await mkdir(full, { recursive: true });
      continue;
    }
    await mkdir(dirname(full), { recursive: true });
    if (typeof content === 'string') await writeFile(full, content);
    else await symlink(content.link, full);
  }
  const file = join(dir, `${name}.tar${gzip ? '.gz' : ''}`);
  await run('tar', ['-c', ...(gzip ? ['-z'] : []), '-f', file, '-C', src, '.']);
  return file;
}

const exists = (path: string) =>
  lstat(path).then(
    () => true,
    () => false,
  );

describe('applyLayers', () => {
  let dir: string;
  let root: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-layers-'));
    root = join(dir, 'root');
    await mkdir(root);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('honours whiteouts and opaque directories, gzip and plain layers alike', async () => {
    const outside = join(dir, 'outside');
    await mkdir(outside);
    const base = await layer(
      dir,
      'l0',
      {
        'a/file1': 'one',
        'a/file2': 'two',
        'a/sub/x': 'x',
        'c/old1': 'old',
        'c/keep-dir/y': 'y',
        'd/inner': 'i',
        '.wh.ghost': '',
        escape: { link: outside },
      },
      true,
    );
    const upper = await layer(
      dir,
      'l1',
      {
        'a/.wh.file1': '',
        'a/.wh.sub': '',
        'c/.wh..wh..opq': '',
        'c/new': 'new',
        'escape/planted': 'should not leave the root',
        'fresh/.wh.nothing': '',
        'fresh/f': 'f',
      },
      true,
    );
    const top = await layer(dir, 'l2', { d: 'now a file', 'a/file2': 'two v2' }, false);
    await applyLayers(root, [base, upper, top], dir);

    expect(await exists(join(root, 'a/file1'))).toBe(false);
    expect(await exists(join(root, 'a/sub'))).toBe(false);
    expect(await readFile(join(root, 'a/file2'), 'utf8')).toBe('two v2');
    expect((await readdir(join(root, 'c'))).sort()).toEqual(['new']);
    expect(await readFile(join(root, 'd'), 'utf8')).toBe('now a file');
    expect(await readdir(join(root, 'fresh'))).toEqual(['f']);
    // Whiteouts never reach the root filesystem, not even the base layer's.
    expect(await exists(join(root, '.wh.ghost'))).toBe(false);
    // The symlink a lower layer left is replaced by the upper layer's directory, not followed.
    expect(await readdir(outside)).toEqual([]);
    expect((await lstat(join(root, 'escape'))).isDirectory()).toBe(true);
  });

  it('fails on a corrupt layer', async () => {
    const bad = join(dir, 'bad.tar.gz');
    await writeFile(bad, 'not a tarball');
    await expect(applyLayers(root, [bad], dir)).rejects.toThrow(/tar/);
  });
});

describe('ensureWorkingDir', () => {
  it('creates the working directory but does not follow a symlink on the way', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-wd-'));
    try {
      await ensureWorkingDir(dir, '/var/task');
      expect((await lstat(join(dir, 'var/task'))).isDirectory()).toBe(true);
      const outside = join(dir, 'outside');
      await mkdir(outside);
      await symlink(outside, join(dir, 'opt'));
      await ensureWorkingDir(dir, '/opt/app');
      expect(await readdir(outside)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

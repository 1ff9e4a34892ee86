/**
 * `npm run demo` as a user runs it (its own command, `node --import tsx local/demo.ts`, in the repo root):
 * next to a running `npm start` on the same FERRY_HOME it uses that Ferry through its API; with
 * none it starts its own in a temporary home and removes it at the end — after a finished run and
 * after Ctrl-C — so nothing is left in the temp directory (a private TMPDIR, listed before and after).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NpmStart, ROOT, shellEnv, startNpmStart } from '../support/npm-start.ts';

/** tsx's loader (what `--import tsx` finds from the repository root). */
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Demo {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/**
 * Starts the demo with TMPDIR `tmp` in its own process group: in the repository root with
 * FERRY_HOME `where.home`, or in `where.cwd` with no FERRY_HOME (the default `.ferry` there).
 */
function startDemo(where: { home: string } | { cwd: string }, tmp: string): Demo {
  const home: Record<string, string> = 'home' in where ? { FERRY_HOME: where.home } : {};
  // `npm run demo`'s command, its module paths made absolute for another cwd.
  const child = spawn(process.execPath, ['--import', TSX, join(ROOT, 'local', 'demo.ts')], {
    cwd: 'cwd' in where ? where.cwd : ROOT,
    env: shellEnv({ ...home, FERRY_NO_INSTALL: '1', TMPDIR: tmp }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))),
  );
  return { child, output: () => text, exited };
}

const FINISHED = 'Demo finished: every outcome as expected.';

/** What is in a temp directory, but tsx's compile cache (`tsx-<uid>`, kept across runs by design). */
const leftIn = (tmp: string) => readdirSync(tmp).filter((name) => !/^tsx-\d+$/.test(name));

describe('npm run demo', () => {
  it('runs in node itself (tsx as a loader): a tsx parent SIGKILLs a child slow to answer Ctrl-C', () => {
    const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;
    expect(scripts.demo).toBe('node --import tsx local/demo.ts');
  });

  describe('with npm start running on the same FERRY_HOME', () => {
    let home: string;
    let ferry: NpmStart | undefined;
    beforeAll(async () => {
      home = tempDir('ferry-demo-test-home-');
      ferry = await startNpmStart(home);
    }, 120_000);
    afterAll(async () => {
      await ferry?.stop();
    });

    it('uses the running Ferry through its API, says so first, and finishes', async () => {
      const tmp = tempDir('ferry-demo-test-tmp-');
      const demo = startDemo({ home }, tmp);
      const code = await demo.exited;
      const output = demo.output();
      expect(code, output).toBe(0);
      expect(output.split('\n')[0]).toMatch(
        new RegExp(`^Ferry demo — using the local Ferry running at ${ferry?.apiUrl}`),
      );
      expect(output).not.toMatch(/Database is closed|^\s+at /m);
      expect(output).toContain(FINISHED);
      expect(leftIn(tmp)).toEqual([]);
    }, 300_000);
  });

  it('starts its own Ferry when the one cli.json names does not answer, and leaves nothing behind', async () => {
    const cwd = tempDir('ferry-demo-test-stale-');
    // A Ferry that ran here once (default FERRY_HOME .ferry) and is gone: its file stays.
    mkdirSync(join(cwd, '.ferry'), { mode: 0o700 });
    writeFileSync(
      join(cwd, '.ferry', 'cli.json'),
      JSON.stringify({ url: 'http://127.0.0.1:9', token: 'ferry_stale_token_0123456789' }),
    );
    const tmp = tempDir('ferry-demo-test-tmp-');
    expect(leftIn(tmp)).toEqual([]);
    const demo = startDemo({ cwd }, tmp);
    const code = await demo.exited;
    const output = demo.output();
    expect(code, output).toBe(0);
    expect(output.split('\n')[0]).toMatch(
      new RegExp(`^Ferry demo — no local Ferry answers at ${join(cwd, '.ferry', 'cli.json')}`),
    );
    expect(output).toContain(FINISHED);
    expect(leftIn(tmp)).toEqual([]);
  }, 300_000);

  it('removes its own Ferry on Ctrl-C', async () => {
    const tmp = tempDir('ferry-demo-test-tmp-');
    const demo = startDemo({ cwd: tempDir('ferry-demo-test-none-') }, tmp);
    await new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => {
        if (demo.output().includes('\n1. ')) {
          clearInterval(poll);
          resolve();
        }
      }, 50);
      void demo.exited.then(() => {
        clearInterval(poll);
        reject(new Error(`the demo ended before step 1:\n${demo.output()}`));
      });
    });
    expect(leftIn(tmp).length).toBeGreaterThan(0);
    process.kill(-(demo.child.pid as number), 'SIGINT');
    const code = await demo.exited;
    expect(code, demo.output()).toBe(130);
    expect(leftIn(tmp), demo.output()).toEqual([]);
  }, 120_000);
});

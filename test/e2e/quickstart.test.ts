/**
 * The quick start, run verbatim: the fenced block under `## Quick start` runs with `bash -x -euo
 * pipefail` in the repository root, against `npm start` on a fresh FERRY_HOME, with FERRY_HOME
 * the only Ferry variable set — nothing exported, no token copied. Any line that fails fails the
 * block; each command's output (split at bash's `+ ` trace lines) must show its outcome.
 */
import { execFile, spawn } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NpmStart, ROOT, shellEnv, startNpmStart } from '../support/npm-start.ts';

const run = promisify(execFile);
const README = join(ROOT, 'README.md');

/** The body of the first ```sh block under `## Quick start`; throws when there is none. */
function quickStartBlock(markdown: string, where: string): string {
  const section = /^## Quick start\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown)?.[1];
  if (section === undefined) throw new Error(`${where} has no "## Quick start" section`);
  const block = /^```sh\n([\s\S]*?)^```\s*$/m.exec(section)?.[1];
  if (!block?.trim()) throw new Error(`${where}'s "## Quick start" has no fenced sh block`);
  return block;
}

/** The block's commands (comments and blank lines left out), as bash traces them. */
const commandsOf = (block: string) =>
  block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.replace(/\s*\|\|\s*true$/, ''));

/** Each traced command with what it printed until the next one. */
function sections(output: string): Array<{ command: string; output: string }> {
  const found: Array<{ command: string; output: string }> = [];
  for (const line of output.split('\n')) {
    if (line.startsWith('+ ')) found.push({ command: line.slice(2), output: '' });
    else if (found.length > 0) (found.at(-1) as { output: string }).output += `${line}\n`;
  }
  return found.filter((s) => s.command !== 'true');
}

let home: string;
let work: string;
let ferry: NpmStart | undefined;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'ferry-quickstart-'));
  work = mkdtempSync(join(tmpdir(), 'ferry-quickstart-out-'));
  ferry = await startNpmStart(home);
}, 120_000);

afterAll(async () => {
  await ferry?.stop();
  rmSync(home, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('Quick start', () => {
  it('finds no block where there is none, loudly', () => {
    expect(() => quickStartBlock('# Ferry\n\n## Local mode\n', 'README.md')).toThrow(
      'README.md has no "## Quick start" section',
    );
    expect(() =>
      quickStartBlock('## Quick start\n\ntext\n\n## Next\n```sh\nls\n```\n', 'R'),
    ).toThrow('no fenced sh block');
  });

  it('runs verbatim after npm start: create, settings, deploy v2, invoke, broken rolled back, history', async () => {
    const block = quickStartBlock(readFileSync(README, 'utf8'), 'README.md');
    const outFile = join(work, 'output.txt');
    const fd = openSync(outFile, 'w');
    // One file for stdout and stderr keeps the trace lines in order with what each command said.
    const code = await new Promise<number | null>((resolve, reject) => {
      const shell = spawn('bash', ['-x', '-euo', 'pipefail', '-c', block], {
        cwd: ROOT,
        env: shellEnv({ FERRY_HOME: home }),
        stdio: ['ignore', fd, fd],
      });
      shell.once('error', reject);
      shell.once('exit', (exitCode) => resolve(exitCode));
    });
    closeSync(fd);
    const output = readFileSync(outFile, 'utf8');
    expect(code, output).toBe(0);

    const ran = sections(output);
    expect(ran.map((s) => s.command)).toEqual(commandsOf(block));
    const of = (pattern: RegExp) => ran.filter((s) => pattern.test(s.command));
    const [created] = of(/^npx ferry local create-function hello --source examples\/hello/);
    expect(created?.output).toMatch(/^created hello: version 1 \(.*\/local\/hello@sha256:/m);
    const [put] = of(/^npx ferry functions put hello --file examples\/hello\/ferry\.json$/);
    expect(put?.output).toContain('"team": "platform"');
    const [good] = of(/^npx ferry deploy hello --source examples\/hello --build-arg VERSION=2/);
    expect(good?.output).toMatch(/^SUCCEEDED d-\w+ → hello/m);
    const [broken] = of(/^npx ferry deploy hello --source examples\/broken/);
    expect(broken?.output).toMatch(/^ROLLED_BACK d-\w+ → hello/m);
    const invokes = of(/^npx ferry local invoke hello$/);
    expect(invokes.length).toBeGreaterThanOrEqual(2);
    // Version 2 answers before the broken deployment and still after it.
    for (const invoke of invokes) expect(invoke.output).toContain('{"ok":true,"version":"2"}');
    expect(ran.indexOf(invokes.at(-1) as never)).toBeGreaterThan(ran.indexOf(broken as never));
    const [history] = of(/^npx ferry history hello$/);
    const rows = history?.output.split('\n').filter((l) => l.startsWith('d-')) ?? [];
    expect(rows.map((r) => r.split(/\s+/)[1])).toEqual(['ROLLED_BACK', 'SUCCEEDED']);
  }, 300_000);

  it('reports a source that does not build as one line with the build log, and creates nothing; a taken name builds nothing', async () => {
    const source = join(work, 'bad-source');
    mkdirSync(source);
    writeFileSync(join(source, 'Dockerfile'), 'FROM scratch\nCOPY missing-file /\n');
    const ferryCli = (...args: string[]) =>
      run(process.execPath, [join(ROOT, 'bin', 'ferry.js'), ...args], {
        cwd: ROOT,
        env: shellEnv({ FERRY_HOME: home }),
      }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
    const failed = await ferryCli('local', 'create-function', 'bad', '--source', source);
    expect(failed.code).toBe(1);
    const [line, ...log] = failed.stderr.trimEnd().split('\n');
    expect(line).toMatch(
      /^ferry: 422 validation: the image of bad did not build from file:\/\/.*bad-source: buildah failed \(exit code \d+\)$/,
    );
    expect(log.length).toBeGreaterThan(0);
    for (const logLine of log) expect(logLine).toMatch(/^ {2}\| /);
    expect(log.join('\n')).toContain('missing-file');
    const read = await ferryCli('local', 'get-function', 'bad');
    expect(read.code).toBe(1);
    expect(read.stderr).toMatch(/^ferry: 404 /);

    // The quick start made hello: a second one is refused before anything is built.
    const taken = await ferryCli('local', 'create-function', 'hello', '--source', 'examples/hello');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/^ferry: 409 conflict: function hello exists: nothing was built/);

    const missing = await ferryCli('deploy', 'hello', '--source', 'examples/no-such-example');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^ferry: --source examples\/no-such-example: no such directory/);
  }, 120_000);
});

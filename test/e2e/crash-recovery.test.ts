/**
 * A real kill -9: local Ferry runs as a child process (its own process group, the real parts),
 * a deployment whose smoke sleeps 3 s is under way, and the whole group is killed while the
 * record shows SmokeInvoke running — after UpdateFunction published and pointed $LATEST at the
 * new image. Ferry restarted on the same FERRY_HOME must end it ROLLED_BACK before it takes
 * requests, leave no process of the old one behind, and deploy the function again.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../services/cli/main.ts';
import type { Deployment } from '../../services/core/deployment.ts';
import { callFerry } from '../support/ferry-api.ts';
import { buildLambdaImages, processesUsing } from '../support/lambda-images.ts';

const TOKEN = 'ferry_e2e_admin_token_crash_0123';
const FN = 'crash-fn';
const CHILD = join(import.meta.dirname, '..', 'support', 'ferry-child.ts');

interface Running {
  readonly child: ChildProcess;
  readonly apiUrl: string;
  readonly registryHost: string;
  /** Milliseconds from spawn to taking requests (recovery included). */
  readonly startMs: number;
  readonly stderr: string[];
}

let home: string;
let ferry: Running | undefined;

/** Starts local Ferry in its own process group; resolves once it prints where it listens. */
function startChild(): Promise<Running> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, FERRY_HOME: home, FERRY_ADMIN_TOKEN: TOKEN, FERRY_NO_INSTALL: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      const info = JSON.parse(line) as { apiUrl: string; registryHost: string };
      resolve({ child, ...info, startMs: Date.now() - started, stderr });
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`ferry-child exited (${signal ?? code}): ${stderr.join('').slice(-2000)}`)),
    );
  });
}

/** SIGKILL to the child's whole process group; resolves once the child is gone. */
async function killGroup(running: Running): Promise<void> {
  const gone = new Promise((resolve) => running.child.once('exit', resolve));
  process.kill(-(running.child.pid as number), 'SIGKILL');
  await gone;
}

const api = <T>(method: string, path: string, body?: unknown) =>
  callFerry<T>(ferry?.apiUrl ?? '', TOKEN, method, path, body);

const record = async (id: string) => (await api<Deployment>('GET', `/v1/deployments/${id}`)).body;

async function until(id: string, ready: (d: Deployment) => boolean, seconds = 60) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const d = await record(id);
    if (ready(d)) return d;
    if (Date.now() > deadline) throw new Error(`timed out: ${d.status} ${JSON.stringify(d.steps)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ended = (d: Deployment) => !['PENDING', 'RUNNING'].includes(d.status);

async function deploy(image: string): Promise<string> {
  const created = await api<{ id: string }>('POST', '/v1/deployments', { function: FN, image });
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  return created.body.id;
}

/** The function as the host persisted it (written atomically, so readable while it runs). */
function hostState() {
  const file = join(home, 'functions', 'functions.json');
  const state = JSON.parse(readFileSync(file, 'utf8')) as {
    functions: Record<
      string,
      {
        latest: { imageUri: string };
        versions: Record<string, { imageUri: string }>;
        aliases: Record<string, { version: string; additional: unknown }>;
      }
    >;
  };
  const fn = state.functions[FN];
  if (!fn) throw new Error(`${FN} not in ${file}`);
  return fn;
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'ferry-crash-'));
});

afterAll(async () => {
  if (ferry && ferry.child.exitCode === null) await killGroup(ferry).catch(() => undefined);
  rmSync(home, { recursive: true, force: true });
});

describe('Local mode: kill -9 during a deployment', () => {
  it('rolls back at restart what the killed Ferry was smoking, frees the lock, and deploys again', async () => {
    ferry = await startChild();
    const images = await buildLambdaImages(
      ferry.registryHost,
      ['good', 'twin'],
      'demo/crash',
      join(home, 'registry-auth.json'),
    );
    const out: string[] = [];
    // Its smoke invokes take 3 s: more than Lambda's default 3 s timeout allows.
    const create = ['local', 'create-function', FN, '--image', images.good, '--timeout', '30'];
    const code = await runCli(create, {
      stdout: { write: (t) => void out.push(t), isTTY: false },
      stderr: { write: (t) => void out.push(t) },
      env: { FERRY_URL: ferry.apiUrl, FERRY_TOKEN: TOKEN },
      pollMs: 100,
    });
    expect(code, out.join('')).toBe(0);
    // The bootstrap sleeps for the event's `sleep`: every smoke invoke takes 3 s.
    const put = await api('PUT', `/v1/functions/${FN}`, {
      team: 'platform',
      smoke: { payload: { sleep: 3 } },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const first = await until(await deploy(images.good), ended);
    expect(first.status, first.reason).toBe('SUCCEEDED');
    const oldVersion = hostState().aliases.live?.version;

    const id = await deploy(images.twin);
    await until(id, (d) =>
      d.steps.some((s) => s.name === 'SmokeInvoke' && s.outcome === 'running'),
    );
    expect(hostState().latest.imageUri).toContain(images.twin.split('@')[1]);
    await killGroup(ferry);
    // Nothing of the killed Ferry lives on: registry, function host instances, launchers.
    await new Promise((r) => setTimeout(r, 500));
    expect(await processesUsing(home)).toEqual([]);

    ferry = await startChild();
    console.log(`restart with recovery took ${ferry.startMs} ms`);
    expect(ferry.startMs).toBeLessThan(10_000);
    const d = await record(id);
    expect(d.status, d.reason).toBe('ROLLED_BACK');
    expect(d.reason).toBe('Ferry stopped during SmokeInvoke; rolled back at restart');
    const fn = hostState();
    expect(fn.aliases.live).toMatchObject({ version: oldVersion, additional: null });
    expect(fn.latest.imageUri).toContain(images.good.split('@')[1]);

    // The lock is free: a new deployment is accepted (202, not 409) and released.
    const again = await until(await deploy(images.twin), ended);
    expect(again.status, again.reason).toBe('SUCCEEDED');
    expect(hostState().aliases.live?.version).toBe(again.release?.version);
  }, 300_000);

  it('kills what a Ferry killed alone (not its group) left running, at the next start', async () => {
    if (!ferry) throw new Error('needs the first test');
    const gone = new Promise((resolve) => ferry?.child.once('exit', resolve));
    process.kill(ferry.child.pid as number, 'SIGKILL');
    await gone;
    const left = await processesUsing(home);
    expect(left.length, 'docker-registry outlives a kill of Node alone').toBeGreaterThan(0);
    ferry = await startChild();
    // A killed leftover whose new parent does not reap it stays a zombie: dead all the same.
    const alive = left.filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return !/^\d+ \(.*\) [ZX]/.test(stat);
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
    expect((await api('GET', `/v1/functions/${FN}/deployments`)).status).toBe(200);
  }, 60_000);
});

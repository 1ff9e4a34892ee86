/**
 * `npm start` as a user runs it, for end-to-end tests: the package's own start command
 * (`tsx local/main.ts`) in the repository root, on a FERRY_HOME and a free FERRY_PORT, with no
 * other FERRY_* variable. Resolves once its banner is printed; `stop()` is Ctrl-C's path.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..');

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The environment without any FERRY_* variable: what a fresh shell has. */
export function shellEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('FERRY_')),
  );
  return { ...env, ...extra };
}

/** A running `npm start`. */
export interface NpmStart {
  readonly child: ChildProcess;
  readonly apiUrl: string;
  /** What it printed so far (stdout and stderr). */
  readonly output: () => string;
  /** SIGINT to its process group (Ctrl-C); resolves once it exited. */
  stop(): Promise<void>;
}

/** Starts `npm start`'s command on `home`; rejects with its output if it exits first. */
export async function startNpmStart(home: string): Promise<NpmStart> {
  const port = await freePort();
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['local/main.ts'], {
    cwd: ROOT,
    env: shellEnv({ FERRY_HOME: home, FERRY_PORT: String(port), FERRY_NO_INSTALL: '1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, as a terminal's job: Ctrl-C reaches tsx and node alike.
    detached: true,
  });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (text.includes('Ctrl-C stops everything.')) {
        clearInterval(poll);
        resolve();
      }
    }, 50);
    void exited.then(() => {
      clearInterval(poll);
      reject(new Error(`npm start exited before it was up:\n${text.slice(-3000)}`));
    });
  });
  return {
    child,
    apiUrl: `http://127.0.0.1:${port}`,
    output: () => text,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(-(child.pid as number), 'SIGINT');
        await exited;
      }
    },
  };
}

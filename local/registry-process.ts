/**
 * Debian's `docker-registry` (distribution v2) as a child process on 127.0.0.1: local mode's
 * image registry. We write its YAML config ourselves (a few fixed keys, every value quoted), wait
 * until `/v2/` answers, report a child that dies on its own, and stop it SIGTERM-then-SIGKILL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import bcrypt from 'bcryptjs';
import { startSigningRelay } from './registry-signing-relay.ts';

/** The registry's one account (htpasswd). */
export interface RegistryLogin {
  readonly username: string;
  readonly password: string;
}

/** `Basic <base64(user:password)>` for a login. */
export const basicAuth = (login: RegistryLogin) =>
  `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}`;

/** Options for {@link startRegistry}. */
export interface RegistryProcessOptions {
  /**
   * Require this login on every request (htpasswd, bcrypt): 127.0.0.1 is open to every local
   * user. @default - anonymous pushes and pulls
   */
  readonly auth?: RegistryLogin;
  /** The registry's own directory: `storage/` (blobs, manifests), `config.yml`, `registry.log`. */
  readonly dir: string;
  /** Port on 127.0.0.1. @default - a free port */
  readonly port?: number;
  /** Where push (and pull) notifications go, e.g. Ferry's `/v1/hooks/registry`. @default - none */
  readonly notificationUrl?: string;
  /** Headers sent with every notification. @default - none */
  readonly notificationHeaders?: Readonly<Record<string, string>>;
  /**
   * Signs each notification body (`X-Ferry-Signature: sha256=<HMAC-SHA256 hex>`) through a relay on
   * 127.0.0.1: the registry itself can only send fixed headers. @default - unsigned
   */
  readonly notificationSecret?: string;
  /** Called when the registry exits without being asked to. @default - a line on stderr */
  readonly onUnexpectedExit?: (error: Error) => void;
  /** @default 15000 */
  readonly startTimeoutMs?: number;
  /** How long SIGTERM gets before SIGKILL. @default 5000 */
  readonly stopTimeoutMs?: number;
  /** @default 'docker-registry' (from PATH) */
  readonly binary?: string;
}

/** A running registry. */
export interface RunningRegistry {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `127.0.0.1:<port>`: the registry part of image references. */
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  readonly logFile: string;
  /** Stops the registry (and its signing relay); resolves once it has exited. Idempotent. */
  stop(): Promise<void>;
  /**
   * Stops the registry process, runs `work` (e.g. its garbage collection, which must not run
   * while pushes are accepted), and starts it again on the same port and config, whatever
   * `work` did. Requests in between are refused (connection refused), not half-served.
   */
  whileStopped<T>(work: () => Promise<T>): Promise<T>;
}

/** One registry process as launched: its own stop leaves the signing relay running. */
interface Launched extends Omit<RunningRegistry, 'whileStopped' | 'stop'> {
  /** Stops this process only. */
  stopProcess(): Promise<void>;
}

/** Children still running: if Node exits without stop(), they must not outlive it. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A port the kernel says is free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port from the kernel');
  return address.port;
}

/** A YAML double-quoted scalar: JSON string syntax is valid YAML, and nothing can break out of it. */
const q = (value: string) => JSON.stringify(value);

/** The registry's config.yml. */
export function registryConfig(options: {
  storageDir: string;
  port: number;
  notificationUrl?: string;
  notificationHeaders?: Readonly<Record<string, string>>;
  htpasswdFile?: string;
}): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: "info"',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${q(options.storageDir)}`,
    // Finalize deletes rejected candidates; the distribution API deletes only when this is on.
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${q(`127.0.0.1:${options.port}`)}`,
    // A fixed secret silences the "no HTTP secret" warning; uploads never span processes here.
    `  secret: ${q(randomBytes(16).toString('hex'))}`,
  ];
  if (options.htpasswdFile) {
    lines.push(
      'auth:',
      '  htpasswd:',
      '    realm: "ferry-local"',
      `    path: ${q(options.htpasswdFile)}`,
    );
  }
  if (options.notificationUrl) {
    lines.push(
      'notifications:',
      '  endpoints:',
      '    - name: "ferry"',
      `      url: ${q(options.notificationUrl)}`,
      '      timeout: "5s"',
      '      threshold: 3',
      '      backoff: "1s"',
      // Blob events are noise: Ferry acts on manifest pushes only.
      '      ignoredmediatypes:',
      '        - "application/octet-stream"',
    );
    const headers = Object.entries(options.notificationHeaders ?? {});
    if (headers.length > 0) {
      lines.push('      headers:');
      for (const [name, value] of headers) lines.push(`        ${q(name)}: [${q(value)}]`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The last lines this run wrote to the registry's log, for error messages. */
function logTail(logFile: string, from: number, lines = 15): string {
  try {
    const text = readFileSync(logFile).subarray(from).toString('utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n') || '(empty)';
  } catch {
    return '(no log)';
  }
}

/**
 * Starts `docker-registry serve` on 127.0.0.1 with filesystem storage under `dir` and waits until
 * `/v2/` answers. Rejects (quoting its log) if it exits or does not answer in time.
 */
export async function startRegistry(options: RegistryProcessOptions): Promise<RunningRegistry> {
  mkdirSync(join(options.dir, 'storage'), { recursive: true });
  const relay =
    options.notificationUrl && options.notificationSecret
      ? await startSigningRelay({
          targetUrl: options.notificationUrl,
          secret: options.notificationSecret,
          headers: options.notificationHeaders ?? {},
        })
      : undefined;
  const notifications = relay
    ? { notificationUrl: relay.url, notificationHeaders: relay.registryHeaders }
    : options.notificationUrl
      ? {
          notificationUrl: options.notificationUrl,
          notificationHeaders: options.notificationHeaders ?? {},
        }
      : {};
  // A port found free can be taken before the registry binds it: pick again, a few times.
  const attempts = options.port === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      let current = await launch(options, port, notifications);
      let stopped = false;
      return {
        url: current.url,
        host: current.host,
        port,
        get pid() {
          return current.pid;
        },
        logFile: current.logFile,
        stop: async () => {
          stopped = true;
          await relay?.close();
          await current.stopProcess();
        },
        whileStopped: async (work) => {
          if (stopped) throw new Error(`docker-registry on ${current.host} was stopped`);
          await current.stopProcess();
          try {
            return await work();
          } finally {
            current = await launch(options, port, notifications);
          }
        },
      };
    } catch (error) {
      if (attempt >= attempts || !/address already in use/.test(String(error))) {
        await relay?.close();
        throw error;
      }
    }
  }
}

async function launch(
  options: RegistryProcessOptions,
  port: number,
  notifications: { notificationUrl?: string; notificationHeaders?: Record<string, string> },
): Promise<Launched> {
  const configFile = join(options.dir, 'config.yml');
  const logFile = join(options.dir, 'registry.log');
  const storageDir = join(options.dir, 'storage');
  const htpasswdFile = join(options.dir, 'htpasswd');
  if (options.auth) {
    // The lowest bcrypt cost: the password is 192 random bits, and the registry checks it per request.
    const hash = bcrypt.hashSync(options.auth.password, 4);
    writeFileSync(htpasswdFile, `${options.auth.username}:${hash}\n`, { mode: 0o600 });
  }
  // 0600: it may hold the relay token and notification credentials.
  writeFileSync(
    configFile,
    registryConfig({
      storageDir,
      port,
      ...notifications,
      ...(options.auth ? { htpasswdFile } : {}),
    }),
    { mode: 0o600 },
  );
  const logStart = existsSync(logFile) ? statSync(logFile).size : 0;
  const log = openSync(logFile, 'a');
  const child = spawn(options.binary ?? 'docker-registry', ['serve', configFile], {
    stdio: ['ignore', log, log],
  });
  closeSync(log); // the child holds its own copy
  running.add(child);
  let phase: 'starting' | 'running' | 'stopping' = 'starting';
  const tail = () => logTail(logFile, logStart);
  const exited = new Promise<string>((resolve) => {
    const done = (how: string) => {
      running.delete(child);
      if (phase === 'running') {
        report(
          options,
          new Error(
            `docker-registry on 127.0.0.1:${port} ${how}; its log ${logFile} ends:\n${tail()}`,
          ),
        );
      }
      resolve(how);
    };
    child.once('error', (error) => done(`failed to start: ${error.message}`));
    child.once('exit', (code, signal) => done(`exited (${signal ?? `code ${code}`})`));
  });

  const stopProcess = async () => {
    phase = 'stopping';
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    child.kill('SIGTERM');
    const timeout = sleep(options.stopTimeoutMs ?? 5000).then(() => 'timeout');
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      child.kill('SIGKILL');
      await exited;
    }
  };

  const url = `http://127.0.0.1:${port}`;
  const failure = await waitUntilAnswering(
    url,
    exited,
    options.startTimeoutMs ?? 15_000,
    options.auth,
  );
  if (failure) {
    const stillRunning = child.exitCode === null && child.signalCode === null;
    if (stillRunning) {
      phase = 'stopping';
      child.kill('SIGKILL');
      await exited;
    }
    throw new Error(`docker-registry ${failure}; its log ${logFile} ends:\n${tail()}`);
  }
  phase = 'running';
  return { url, host: `127.0.0.1:${port}`, port, pid: child.pid as number, logFile, stopProcess };
}

function report(options: RegistryProcessOptions, error: Error): void {
  if (options.onUnexpectedExit) options.onUnexpectedExit(error);
  else process.stderr.write(`ferry: ${error.message}\n`);
}

/** Polls `/v2/` until it answers 200; returns why it gave up, or undefined when ready. */
async function waitUntilAnswering(
  url: string,
  exited: Promise<string>,
  timeoutMs: number,
  auth: RegistryLogin | undefined,
): Promise<string | undefined> {
  let death: string | undefined;
  void exited.then((how) => {
    death = how;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (death) return `${death} while starting at ${url}`;
    const ok = await Promise.race([
      fetch(`${url}/v2/`, {
        signal: AbortSignal.timeout(1000),
        ...(auth ? { headers: { Authorization: basicAuth(auth) } } : {}),
      })
        .then((res) => res.status === 200)
        .catch(() => false),
      exited.then(() => false), // something else on the port must not keep us waiting
    ]);
    if (ok) return undefined;
    await sleep(50);
  }
  return `did not answer at ${url}/v2/ within ${timeoutMs} ms`;
}

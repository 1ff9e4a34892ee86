/**
 * moto's server as a child process on 127.0.0.1: a second, independent DynamoDB implementation,
 * so the store adapters can be checked against more than dynalite, and Lambda's alias model and
 * CloudWatch's metric store for the Functions and VersionHealth contracts (moto-aws.ts). moto
 * comes with the machine (`python3 -m moto.server`); nothing is installed for it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createStoreTable } from '../../local/dynalite-server.ts';

/** A running moto server (every service it emulates, on one port). */
export interface MotoServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Stops the server's process group (its data is gone). */
  close(): Promise<void>;
}

/** A running moto server, a client pointed at it and the store table created on it. */
export interface RunningMoto extends MotoServer {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Destroys the client and stops the server's process group (its data is gone). */
  close(): Promise<void>;
}

/** What an SDK client needs to talk to moto (it checks no signature, but the SDK signs). */
export const motoClientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'moto', secretAccessKey: 'moto' },
});

const STARTUP_MS = 30_000;
const READY_LINE = /Running on http:\/\/127\.0\.0\.1:(\d+)/;

/** Starts moto on 127.0.0.1 and a port the OS picks, waits until it answers, creates the table. */
export async function startMoto(tableName = 'ferry-store'): Promise<RunningMoto> {
  const server = await startMotoServer();
  const client = new DynamoDBClient(motoClientConfig(server.endpoint));
  try {
    await createStoreTable(client, tableName);
  } catch (error) {
    client.destroy();
    await server.close();
    throw error;
  }
  return {
    endpoint: server.endpoint,
    client,
    tableName,
    close: async () => {
      client.destroy();
      await server.close();
    },
  };
}

/** Options for {@link startMotoServer}. */
export interface MotoServerOptions {
  /** Added to moto's environment (`MOTO_PORT`: where its own service integrations call). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Starts moto on 127.0.0.1 and a port the OS picks, and waits until it answers. */
export async function startMotoServer(options: MotoServerOptions = {}): Promise<MotoServer> {
  // Port 0 and the printed address: no window in which another process takes a probed port.
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', '0'], {
    // Its own process group, so close() stops moto and anything it forked.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env, PYTHONUNBUFFERED: '1' },
  });
  const stopOnExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', stopOnExit);
  const stop = async () => {
    process.off('exit', stopOnExit);
    await stopGroup(child);
  };
  try {
    const port = await readyPort(child);
    const endpoint = `http://127.0.0.1:${port}`;
    const probe = new DynamoDBClient(motoClientConfig(endpoint));
    await answering(probe).finally(() => probe.destroy());
    return { endpoint, close: stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The port moto prints once it listens; a clear error when python3 or moto is missing. */
function readyPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(`moto did not start within ${STARTUP_MS / 1000} s`),
      STARTUP_MS,
    );
    const fail = (message: string) => {
      clearTimeout(timer);
      const tail = output.trim().split('\n').slice(-5).join('\n');
      reject(new Error(tail ? `${message}:\n${tail}` : message));
    };
    const read = (chunk: Buffer) => {
      // Keep only a tail: moto logs every request, and the pipes must keep draining.
      output = (output + chunk.toString()).slice(-4_000);
      const port = READY_LINE.exec(output)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve(Number(port));
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('error', (error: NodeJS.ErrnoException) =>
      fail(
        error.code === 'ENOENT'
          ? 'python3 is not on PATH: the moto contract tests need python3 with moto 5 (`pip install "moto[server]"`)'
          : `could not start moto: ${error.message}`,
      ),
    );
    child.once('exit', (code, signal) => {
      const missing = /No module named '?moto\b/.test(output);
      fail(
        missing
          ? 'moto is not installed for python3: the moto contract tests need `pip install "moto[server]"`'
          : `moto exited before it listened (code ${code}, signal ${signal})`,
      );
    });
  });
}

/** Waits until moto answers a DynamoDB call (it prints its address just before it serves). */
async function answering(client: DynamoDBClient): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.send(new ListTablesCommand({}));
      return;
    } catch (error) {
      if (attempt >= 100) throw new Error('moto listens but does not answer', { cause: error });
      await sleep(50);
    }
  }
}

/** Signals the child's process group; a group already gone is fine. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** SIGTERM to the group, SIGKILL when it lingers; resolves once the child has exited. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  killGroup(child, 'SIGTERM');
  const lingering = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(lingering);
}

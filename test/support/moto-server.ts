/**
 * moto's server (`python3 -m moto.server`, moto 5.2.1) on 127.0.0.1 and a free port, for adapter
 * tests against a second DynamoDB implementation besides dynalite. Minimal on purpose: one
 * server per call, a DynamoDB client pointed at it with dummy credentials, stopped by its pid.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** A running moto server and a DynamoDB client pointed at it. */
export interface RunningMoto {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly dynamodb: DynamoDBClient;
  /** Destroys the client and stops the server (its in-memory state is gone). */
  close(): Promise<void>;
}

/** Starts moto's server; fails saying how to install moto when python3 cannot run it. */
export async function startMotoServer(): Promise<RunningMoto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + String(chunk)).slice(-2000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    await waitUntilUp(endpoint, child);
  } catch (error) {
    child.kill();
    await exited;
    const last = stderr.trim().split('\n').at(-1) ?? String(error);
    throw new Error(
      `moto's server did not start: ${last}. Fix: python3 -m pip install moto==5.2.1`,
    );
  }
  const dynamodb = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'moto', secretAccessKey: 'moto' },
  });
  return {
    endpoint,
    dynamodb,
    close: async () => {
      dynamodb.destroy();
      if (child.exitCode === null) child.kill();
      await exited;
    },
  };
}

async function waitUntilUp(endpoint: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    const up = await fetch(`${endpoint}/moto-api/`).then(
      (res) => res.ok,
      () => false,
    );
    if (up) return;
    await sleep(50);
  }
  throw new Error('not answering after 10 s');
}

/** A port nothing listens on right now (the OS picks it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

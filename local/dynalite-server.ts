/**
 * dynalite (DynamoDB's API on LevelDB) in-process: local mode's store (on disk under FERRY_HOME, so
 * history survives restarts) and the tests' (in memory). The store code is the same DynamoDB code
 * that runs on AWS. dynalite checks no signature, so local mode serves it on a unix socket in an
 * owner-only directory rather than on 127.0.0.1, where any local user could write a token item.
 */
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import dynalite from 'dynalite';
import { storeTableDefinition } from '../services/adapters/aws/dynamo-store.ts';

/** A running dynalite server and a client pointed at it. */
export interface RunningDynalite {
  /** `http://127.0.0.1:<port>`; on a socket, the URL the client sends (its host is not dialled). */
  readonly endpoint: string;
  /** The unix socket it serves on, when started with one. */
  readonly socketPath?: string;
  readonly client: DynamoDBClient;
  /** Destroys the client and stops the server (its in-memory data is gone). */
  close(): Promise<void>;
}

/** Options for {@link startDynalite}. */
export interface StartDynaliteOptions {
  /** LevelDB directory for on-disk data. @default - in memory */
  readonly path?: string;
  /**
   * Serve on this unix socket instead of TCP: its directory is made owner-only (0700) and the
   * socket 0600, so only this user (and root) can reach the store. @default - 127.0.0.1, a free port
   */
  readonly socketPath?: string;
}

/** An HTTP agent whose every connection goes to `socketPath`, for the SDK's NodeHttpHandler. */
class UnixSocketAgent extends Agent {
  constructor(private readonly socketPath: string) {
    super({ keepAlive: true });
  }
  override createConnection(): ReturnType<typeof connect> {
    return connect(this.socketPath);
  }
}

/** True when something accepts connections on `socketPath`. */
function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/** Makes `socketPath`'s directory owner-only and clears a socket a killed run left behind. */
async function prepareSocket(socketPath: string): Promise<void> {
  // sun_path holds 108 bytes with its terminating NUL; longer paths fail with an obscure error.
  if (Buffer.byteLength(socketPath) > 107) {
    throw new Error(
      `the store's socket path ${socketPath} is over 107 bytes (a unix socket limit): use a shorter FERRY_HOME`,
    );
  }
  const dir = dirname(socketPath);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700); // an existing directory keeps its mode otherwise
  if (await answers(socketPath)) {
    throw new Error(
      `a store is already serving on ${socketPath}: is another Ferry running on this FERRY_HOME?`,
    );
  }
  rmSync(socketPath, { force: true });
}

/** Starts dynalite (tables become ACTIVE immediately) on 127.0.0.1 and a free port, or a socket. */
export async function startDynalite(options: StartDynaliteOptions = {}): Promise<RunningDynalite> {
  const { socketPath } = options;
  if (socketPath) await prepareSocket(socketPath);
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.path ? { path: options.path } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (socketPath) server.listen(socketPath, () => resolve());
    else server.listen(0, '127.0.0.1', () => resolve());
  });
  if (socketPath) chmodSync(socketPath, 0o600);
  const endpoint = socketPath
    ? 'http://dynalite.sock'
    : `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'dynalite', secretAccessKey: 'dynalite' },
    ...(socketPath
      ? { requestHandler: new NodeHttpHandler({ httpAgent: new UnixSocketAgent(socketPath) }) }
      : {}),
  });
  return {
    endpoint,
    ...(socketPath ? { socketPath } : {}),
    client,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/** Creates the store's table unless it exists (a restarted local mode keeps its data). */
export async function ensureStoreTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const exists = await client
    .send(new DescribeTableCommand({ TableName: tableName }))
    .then(() => true)
    .catch((error: unknown) => {
      if (error instanceof ResourceNotFoundException) return false;
      throw error;
    });
  if (!exists) await createStoreTable(client, tableName);
}

/** Creates the store's table (STORE_TABLE schema) and waits until it is ACTIVE. */
export async function createStoreTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand(storeTableDefinition(tableName)));
  for (let attempt = 0; attempt < 200; attempt++) {
    const status = await client
      .send(new DescribeTableCommand({ TableName: tableName }))
      .then((out) => out.Table?.TableStatus)
      .catch((error: unknown) => {
        if (error instanceof ResourceNotFoundException) return undefined;
        throw error;
      });
    if (status === 'ACTIVE') return;
    await sleep(25);
  }
  throw new Error(`table ${tableName} did not become ACTIVE within 5 s`);
}

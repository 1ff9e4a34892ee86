/**
 * dynalite (DynamoDB's API on LevelDB) in-process on 127.0.0.1: local mode's store (on disk under
 * FERRY_HOME, so history survives restarts) and the tests' (in memory). The store code is the same
 * DynamoDB code that runs on AWS.
 */
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { storeTableDefinition } from '../services/adapters/aws/dynamo-store.ts';

/** A running dynalite server and a client pointed at it. */
export interface RunningDynalite {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  /** Destroys the client and stops the server (its in-memory data is gone). */
  close(): Promise<void>;
}

/** Options for {@link startDynalite}. */
export interface StartDynaliteOptions {
  /** LevelDB directory for on-disk data. @default - in memory */
  readonly path?: string;
}

/** Starts dynalite on 127.0.0.1 and a free port (tables become ACTIVE immediately). */
export async function startDynalite(options: StartDynaliteOptions = {}): Promise<RunningDynalite> {
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.path ? { path: options.path } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'dynalite', secretAccessKey: 'dynalite' },
  });
  return {
    endpoint,
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

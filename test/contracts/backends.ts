/**
 * Where contract suites run: the in-memory fakes, and the DynamoDB adapters on dynalite and on
 * moto's server (two independent DynamoDB implementations). Each test gets a fresh table.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe } from 'vitest';
import { ManualClock } from '../fakes/manual-clock.ts';
import { createStoreTable, startDynalite } from '../support/dynalite.ts';
import { startMoto } from '../support/moto.ts';
import type { ContractSuite, MakeSubject } from './subject.ts';

/** What every implementation is built with: the clock the test moves. */
export interface Env {
  readonly clock: ManualClock;
}

/** What a DynamoDB adapter is built with: also a client and a table no other test uses. */
export interface DynamoEnv extends Env {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/** How to build one port's implementations: the fake, and the adapter on any DynamoDB. */
export interface Implementations<T> {
  readonly memory: (env: Env) => T;
  readonly dynamo: (env: DynamoEnv) => T;
}

/** A place implementations run: started once per test file, then a fresh subject per test. */
export interface Backend {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  make<T>(implementations: Implementations<T>): MakeSubject<T>;
}

/** One line of the contract table: a port's suite with its implementations, for any backend. */
export type Contract = (backend: Backend) => void;

/** Pairs a port's suite with its implementations. */
export function contract<T>(
  suite: ContractSuite<T>,
  implementations: Implementations<T>,
): Contract {
  return (backend) => suite(backend.name, backend.make(implementations));
}

/** The in-memory fakes (test/fakes). */
export function memoryBackend(): Backend {
  return {
    name: 'memory',
    start: async () => {},
    stop: async () => {},
    make: (implementations) => async () => {
      const clock = new ManualClock();
      return { port: implementations.memory({ clock }), clock };
    },
  };
}

/** The DynamoDB adapters on a DynamoDB server that `start` runs and `stop` stops. */
function dynamoBackend(
  name: string,
  start: () => Promise<{ client: DynamoDBClient; close(): Promise<void> }>,
): Backend {
  let server: { client: DynamoDBClient; close(): Promise<void> } | undefined;
  let tables = 0;
  return {
    name,
    start: async () => {
      server = await start();
    },
    stop: async () => {
      await server?.close();
      server = undefined;
    },
    make: (implementations) => async () => {
      if (!server) throw new Error(`${name} is not started`);
      const tableName = `contract-${++tables}`;
      await createStoreTable(server.client, tableName);
      const clock = new ManualClock();
      return { port: implementations.dynamo({ client: server.client, tableName, clock }), clock };
    },
  };
}

/** The DynamoDB adapters on dynalite, in-process (local mode's store). */
export const dynaliteBackend = () => dynamoBackend('dynalite', () => startDynalite());

/** The DynamoDB adapters on moto's server, a child process. */
export const motoBackend = () => dynamoBackend('moto', () => startMoto());

/** Runs every contract against every backend, each backend in its own describe. */
export function runContracts(backends: readonly Backend[], contracts: readonly Contract[]): void {
  for (const backend of backends) {
    describe(backend.name, () => {
      beforeAll(() => backend.start());
      afterAll(() => backend.stop());
      for (const run of contracts) run(backend);
    });
  }
}

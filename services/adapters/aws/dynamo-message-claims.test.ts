/**
 * What only the DynamoDB adapter of MessageClaims does, on dynalite and on moto's server: its
 * key space apart from idempotency keys, the TTL attribute, errors. The port's contract (once,
 * concurrency, release, expiry) runs with every store port's in test/contracts.
 */
import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claim } from '../../../test/contracts/message-claims.contract.ts';
import { ManualClock } from '../../../test/fakes/manual-clock.ts';
import { createStoreTable, startDynalite } from '../../../test/support/dynalite.ts';
import { startMoto } from '../../../test/support/moto.ts';
import type { MessageClaims } from '../../core/ports.ts';
import { DynamoMessageClaims } from './dynamo-message-claims.ts';
import { DynamoDeploymentStore } from './dynamo-store.ts';

const TTL = 600;
const ID = claim().deploymentId;

/** One implementation under test: a fresh, empty claims store on a clock the test moves. */
interface Subject {
  fresh(): Promise<{ claims: MessageClaims; clock: ManualClock; table?: string }>;
}

let tables = 0;
function dynamoSubject(client: () => DynamoDBClient): Subject {
  return {
    async fresh() {
      const table = `claims-${++tables}`;
      await createStoreTable(client(), table);
      const clock = new ManualClock(Date.parse('2026-11-28T12:00:00Z'), 0);
      return {
        claims: new DynamoMessageClaims(client(), { tableName: table, ttlSeconds: TTL, clock }),
        clock,
        table,
      };
    },
  };
}

function tableContract(subject: Subject, client: () => DynamoDBClient) {
  it('keeps claims apart from idempotency keys: a key spelled like a claim takes nothing', async () => {
    const { claims, table } = await subject.fresh();
    const store = new DynamoDeploymentStore(client(), {
      tableName: String(table),
      cursorSecret: 'cursor-secret',
    });
    // What a team named `notify` sending Idempotency-Key `<id>:SUCCEEDED` stores.
    await store.putIdempotencyKey({
      key: `notify:${ID}:SUCCEEDED`,
      requestHash: 'h',
      deploymentId: 'd-01M8HC7YVQBKF5577ZYS09W287',
      expiresAt: 2_000_000_000,
    });
    expect(await claims.claim(claim())).toBe(true);
    // And the other way round: a claim never answers for an idempotency key.
    expect(await store.getIdempotencyKey(`CLAIM#notify#${ID}#SUCCEEDED`)).toBeNull();
  });

  it('writes the table TTL attribute, so DynamoDB sweeps old claims', async () => {
    const { claims, clock, table } = await subject.fresh();
    await claims.claim(claim());
    const out = await client().send(
      new GetItemCommand({
        TableName: table,
        Key: { pk: { S: `CLAIM#notify#${ID}#SUCCEEDED` }, sk: { S: 'CLAIM' } },
      }),
    );
    const expected = String(Math.floor(clock.now().getTime() / 1000) + TTL);
    expect(out.Item?.ttl).toEqual({ N: expected });
    expect(out.Item?.expiresAt).toEqual({ N: expected });
  });

  it('maps a missing table to a named error', async () => {
    const claims = new DynamoMessageClaims(client(), { tableName: 'no-such-table' });
    await expect(claims.claim(claim())).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(claims.release(claim())).rejects.toMatchObject({ name: 'NotFoundError' });
  });
}

describe('DynamoMessageClaims on dynalite', () => {
  let db: Awaited<ReturnType<typeof startDynalite>>;
  beforeAll(async () => {
    db = await startDynalite();
  });
  afterAll(() => db.close());
  const subject = dynamoSubject(() => db.client);
  tableContract(subject, () => db.client);
});

describe("DynamoMessageClaims on moto's DynamoDB", () => {
  let moto: Awaited<ReturnType<typeof startMoto>>;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(() => moto.close());
  const subject = dynamoSubject(() => moto.client);
  tableContract(subject, () => moto.client);
});

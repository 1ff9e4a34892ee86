/**
 * What only the DynamoDB adapter of ReleaseHolds does, on dynalite: its key space apart from
 * everything a caller names, the callback token kept out of the deployment record, the TTL
 * attribute, corrupt items and errors. The port's contract runs with every store port's in
 * test/contracts.
 */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdRecord } from '../../../test/contracts/release-holds.contract.ts';
import { ManualClock } from '../../../test/fakes/manual-clock.ts';
import {
  createStoreTable,
  type RunningDynalite,
  startDynalite,
} from '../../../test/support/dynalite.ts';
import type { Deployment } from '../../core/deployment.ts';
import { parseFunctionSettings } from '../../core/settings.ts';
import { DynamoReleaseHolds } from './dynamo-holds.ts';
import { DynamoDeploymentStore } from './dynamo-store.ts';

let db: RunningDynalite;
let tables = 0;
const clock = new ManualClock();
const inAnHour = () => Math.floor(clock.now().getTime() / 1000) + 3600;

/** A fresh table with the holds adapter and the store on it. */
async function fresh() {
  const tableName = `holds-${++tables}`;
  await createStoreTable(db.client, tableName);
  return {
    tableName,
    holds: new DynamoReleaseHolds(db.client, tableName, clock),
    store: new DynamoDeploymentStore(db.client, { tableName, clock, cursorSecret: 's' }),
  };
}

const deployment = (id: string): Deployment => ({
  id,
  functionName: 'orders',
  status: 'RUNNING',
  createdAt: '2026-11-28T10:00:00.000Z',
  updatedAt: '2026-11-28T10:00:00.000Z',
  team: 'payments',
  trigger: { kind: 'api', actor: 'arn:aws:iam::123456789012:role/ci' },
  request: { image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders:v2' },
  steps: [],
});

beforeAll(async () => {
  db = await startDynalite();
});
afterAll(() => db.close());

describe('Class: DynamoReleaseHolds', () => {
  it('keeps the callback token out of the deployment record and its history', async () => {
    const { holds, store } = await fresh();
    await store.create(deployment('d-1'));
    await holds.putHold(holdRecord('d-1', 'secret-callback-token', inAnHour()));

    expect(JSON.stringify(await store.get('d-1'))).not.toContain('secret-callback-token');
    const history = (await store.listByFunction('orders')).items;
    expect(history.map((d) => d.id)).toEqual(['d-1']);
    expect(JSON.stringify(history)).not.toContain('secret-callback-token');
  });

  it('keeps holds apart from what callers name: functions, teams, idempotency keys', async () => {
    const { holds, store } = await fresh();
    // Everything a caller can spell like a hold's key lands in its own key space.
    const spelled = 'HOLD#d-1';
    await store.putSettings(spelled, parseFunctionSettings({ team: spelled }));
    await store.acquireLock(spelled, 'd-2', 1_000, 2_000_000_000);
    await store.putIdempotencyKey({
      key: `${spelled}:${spelled}`,
      requestHash: 'h',
      deploymentId: 'd-2',
      expiresAt: 2_000_000_000,
    });
    await expect(holds.getHold('d-1')).resolves.toBeNull();

    // And the other way round: a hold answers for none of them, nor does clearing it touch them.
    await store.putReplyUrl('d-1', 'https://hooks.slack.com/commands/T1/2/abc', inAnHour());
    await holds.putHold(holdRecord('d-1', 'token-1', inAnHour()));
    await holds.clearHold('d-1', 'token-1');
    await expect(store.getSettings(spelled)).resolves.not.toBeNull();
    await expect(store.getLock(spelled)).resolves.toMatchObject({ owner: 'd-2' });
    await expect(store.getIdempotencyKey(`${spelled}:${spelled}`)).resolves.not.toBeNull();
    await expect(store.getReplyUrl('d-1')).resolves.not.toBeNull();
    await expect(store.get('d-1')).resolves.toBeNull();
  });

  it('writes the table TTL attribute, so DynamoDB sweeps old holds', async () => {
    const { holds, tableName } = await fresh();
    const expiresAt = inAnHour();
    await holds.putHold(holdRecord('d-1', 'token-1', expiresAt));
    const out = await db.client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { pk: { S: 'HOLD#d-1' }, sk: { S: 'HOLD' } },
      }),
    );
    expect(out.Item?.ttl).toEqual({ N: String(expiresAt) });
    expect(out.Item?.expiresAt).toEqual({ N: String(expiresAt) });
  });

  it('refuses a corrupt hold by name, naming the item and the field', async () => {
    const { holds, tableName } = await fresh();
    await db.client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: 'HOLD#d-bad' },
          sk: { S: 'HOLD' },
          deploymentId: { S: 'd-bad' },
          kind: { S: 'forever' },
          since: { S: '2026-11-28T12:00:00.000Z' },
          expiresAt: { N: String(inAnHour()) },
        },
      }),
    );
    await expect(holds.getHold('d-bad')).rejects.toMatchObject({
      name: 'CorruptItemError',
      message: expect.stringMatching(/stored hold item HOLD#d-bad \/ HOLD is corrupt: kind.*token/),
    });
  });

  it('maps a missing table to a named error, without the token in the message', async () => {
    const holds = new DynamoReleaseHolds(db.client, 'no-such-table', clock);
    const hold = holdRecord('d-1', 'secret-callback-token', inAnHour());
    for (const attempt of [
      holds.putHold(hold),
      holds.getHold('d-1'),
      holds.clearHold('d-1', 'secret-callback-token'),
    ]) {
      const error = await attempt.then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error).toMatchObject({ name: 'NotFoundError' });
      expect(error?.message).not.toContain('secret-callback-token');
    }
  });
});

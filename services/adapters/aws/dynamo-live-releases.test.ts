import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStoreTable,
  type RunningDynalite,
  startDynalite,
} from '../../../local/dynalite-server.ts';
import { liveRecord } from '../../../test/contracts/live-releases.contract.ts';
import { DynamoLiveReleases } from './dynamo-live-releases.ts';
import { DynamoDeploymentStore } from './dynamo-store.ts';

const TABLE = 'ferry-live-test';
let db: RunningDynalite;
let live: DynamoLiveReleases;

beforeAll(async () => {
  db = await startDynalite();
  await createStoreTable(db.client, TABLE);
  live = new DynamoLiveReleases(db.client, TABLE);
});
afterAll(() => db.close());

/** What only the table adapter does; the port's contract runs in test/contracts. */
describe('Class: DynamoLiveReleases', () => {
  it('stays out of the function index and the history', async () => {
    const store = new DynamoDeploymentStore(db.client, { tableName: TABLE, cursorSecret: 's' });
    await live.putLive(liveRecord('indexed', 'd-4'));
    expect((await store.listFunctions()).map((f) => f.name)).not.toContain('indexed');
    expect((await store.listByFunction('indexed')).items).toEqual([]);
  });

  it('refuses a corrupt record by name, naming the item and the field', async () => {
    await db.client.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: {
          pk: { S: 'FN#broken' },
          sk: { S: 'LIVE' },
          live: { M: { functionName: { S: 'broken' }, digest: { N: '1' } } },
        },
      }),
    );
    await expect(live.getLive('broken')).rejects.toMatchObject({
      name: 'CorruptItemError',
      message: expect.stringMatching(
        /stored live item FN#broken \/ LIVE is corrupt: live\.deploymentId/,
      ),
    });
  });
});

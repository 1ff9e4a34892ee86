import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStoreTable,
  type RunningDynalite,
  startDynalite,
} from '../../../local/dynalite-server.ts';
import type { LiveRelease } from '../../core/live.ts';
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

const record = (functionName: string, deploymentId: string): LiveRelease => ({
  functionName,
  deploymentId,
  version: '4',
  digest: `sha256:${'c'.repeat(64)}`,
  imageUri: `team/api@sha256:${'c'.repeat(64)}`,
  releasedAt: '2026-12-01T10:00:00.000Z',
  compressedBytes: 1234,
  initDurationMs: null,
});

describe('Class: DynamoLiveReleases', () => {
  it('keeps one record per function, the last one put', async () => {
    await live.putLive(record('orders', 'd-1'));
    await live.putLive(record('orders', 'd-2'));
    await live.putLive(record('billing', 'd-3'));
    expect(await live.getLive('orders')).toEqual(record('orders', 'd-2'));
    expect(await live.getLive('billing')).toEqual(record('billing', 'd-3'));
    expect(await live.getLive('nothing')).toBeNull();
  });

  it('stays out of the function index and the history', async () => {
    const store = new DynamoDeploymentStore(db.client, { tableName: TABLE, cursorSecret: 's' });
    await live.putLive(record('indexed', 'd-4'));
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

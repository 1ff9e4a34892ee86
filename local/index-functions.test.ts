import { randomBytes } from 'node:crypto';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDeploymentStore } from '../services/adapters/aws/dynamo-store.ts';
import { settingsKey } from '../services/adapters/aws/dynamo-table.ts';
import { parseFunctionSettings } from '../services/core/settings.ts';
import { createStoreTable, type RunningDynalite, startDynalite } from './dynalite-server.ts';
import { indexRegisteredFunctions } from './index-functions.ts';

const TABLE = 'ferry-index-functions';
let db: RunningDynalite;
let store: DynamoDeploymentStore;

beforeAll(async () => {
  db = await startDynalite();
  await createStoreTable(db.client, TABLE);
  store = new DynamoDeploymentStore(db.client, {
    tableName: TABLE,
    cursorSecret: randomBytes(16).toString('hex'),
  });
});
afterAll(() => db.close());

describe('indexRegisteredFunctions (local mode upgrade)', () => {
  it('lists functions whose settings were written before the index existed, once', async () => {
    // Prepare: one function registered today, one as an older Ferry wrote it (no index key).
    await store.putSettings('fresh', parseFunctionSettings({ team: 'payments' }));
    const old = { team: 'search', alias: 'live', smoke: { payload: {} }, sizeBudgetBytes: 1 };
    await DynamoDBDocumentClient.from(db.client).send(
      new PutCommand({ TableName: TABLE, Item: { ...settingsKey('legacy'), settings: old } }),
    );
    expect((await store.listFunctions()).map((f) => f.name)).toEqual(['fresh']);

    // Act
    const indexed = await indexRegisteredFunctions(db.client, TABLE, store);

    // Assess: listed with its settings as the store reads them (today's defaults, but the
    // cold-start gate stays off: it predates the default); a second start finds nothing to do.
    expect(indexed).toEqual(['legacy']);
    expect((await store.listFunctions()).map((f) => f.name).sort()).toEqual(['fresh', 'legacy']);
    expect(await store.getSettings('legacy')).toStrictEqual({
      ...parseFunctionSettings(old),
      coldStart: {
        maxInitGrowthRatio: null,
        minInitDeltaMs: 100,
        samples: 5,
        inconclusiveBlocks: false,
      },
    });
    expect(await indexRegisteredFunctions(db.client, TABLE, store)).toEqual([]);
  });
});

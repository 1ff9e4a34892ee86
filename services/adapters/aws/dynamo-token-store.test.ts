import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStoreTable,
  type RunningDynalite,
  startDynalite,
} from '../../../local/dynalite-server.ts';
import { hashToken, issueToken } from '../../auth/token-authenticator.ts';
import { DynamoTokenStore } from './dynamo-token-store.ts';

const TABLE = 'ferry-tokens-test';
let db: RunningDynalite;
let tokens: DynamoTokenStore;

beforeAll(async () => {
  db = await startDynalite();
  await createStoreTable(db.client, TABLE);
  tokens = new DynamoTokenStore(db.client, TABLE);
});
afterAll(() => db.close());

// Lookups and replacement are in the TokenStore contract (test/contracts); here, what is stored.
describe('Class: DynamoTokenStore', () => {
  it('stores a hash as item TOKEN#<hash>, never the token itself', async () => {
    const token = await issueToken(tokens, 'search');
    const item = await db.client.send(
      new GetItemCommand({
        TableName: TABLE,
        Key: { pk: { S: `TOKEN#${hashToken(token)}` }, sk: { S: 'TOKEN' } },
      }),
    );
    expect(item.Item?.team).toEqual({ S: 'search' });
    const everything = JSON.stringify(
      (await db.client.send(new ScanCommand({ TableName: TABLE }))).Items,
    );
    expect(everything).not.toContain(token);
  });

  it('lists from one partition and revokes both of its items', async () => {
    const token = await issueToken(tokens, 'platform', { createdBy: 'test' });
    const hash = hashToken(token);
    const id = hash.slice(0, 12);
    const keys = async () =>
      ((await db.client.send(new ScanCommand({ TableName: TABLE }))).Items ?? []).map(
        (i) => `${i.pk?.S} / ${i.sk?.S}`,
      );
    expect(await keys()).toEqual(
      expect.arrayContaining([`TOKEN#${hash} / TOKEN`, `TOKENS / TOKEN#${id}`]),
    );
    await tokens.revoke(id);
    const left = await keys();
    expect(left).not.toContain(`TOKEN#${hash} / TOKEN`);
    expect(left).not.toContain(`TOKENS / TOKEN#${id}`);
  });

  it('maps DynamoDB failures to named errors', async () => {
    const missing = new DynamoTokenStore(db.client, 'no-such-table');
    await expect(missing.teamOf('a'.repeat(64))).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});

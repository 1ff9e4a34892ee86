/**
 * Local mode's one upgrade step: functions registered before the web page's function list
 * existed have settings without the list's index key, so `/` would not show them until their
 * next settings write. At start, rewrite those settings once (the values the store reads back,
 * older shapes brought up to date, now indexed).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { readSettings } from '../services/adapters/aws/dynamo-items.ts';
import {
  functionOfPartition,
  GPK,
  PK,
  SETTINGS_SORT_KEY,
  SK,
} from '../services/adapters/aws/dynamo-table.ts';
import type { DeploymentStore } from '../services/core/ports.ts';

/** Indexes every registered function's settings that are not yet in the list; returns their names. */
export async function indexRegisteredFunctions(
  client: DynamoDBClient,
  tableName: string,
  store: Pick<DeploymentStore, 'putSettings'>,
): Promise<string[]> {
  const doc = DynamoDBDocumentClient.from(client);
  const names: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    // A Scan is fine here: a local table is small, and this runs once per start.
    const out = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#sk = :settings AND attribute_not_exists(#gpk)',
        ExpressionAttributeNames: { '#sk': SK, '#gpk': GPK },
        ExpressionAttributeValues: { ':settings': SETTINGS_SORT_KEY },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of out.Items ?? []) {
      const name = functionOfPartition(String(item[PK]));
      await store.putSettings(name, readSettings(item));
      names.push(name);
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return names;
}

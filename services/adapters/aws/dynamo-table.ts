/**
 * The store table's layout (single-table design): key attributes, the history index, item keys
 * and the fields a patch may set (dynamo-items.ts reads items back). The CDK stack, local mode
 * and tests create the table from it.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { DEPLOYMENT_PATCH_FIELDS } from '../../core/deployment-schema.ts';

/** The store table's schema: the CDK stack, local mode and tests create the table from it. */
export const STORE_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  historyIndex: 'byFunction',
  historyPartitionKey: 'gsi1pk',
  historySortKey: 'gsi1sk',
  ttlAttribute: 'ttl',
} as const;

export const {
  partitionKey: PK,
  sortKey: SK,
  historyPartitionKey: GPK,
  historySortKey: GSK,
} = STORE_TABLE;
/** The fields update() may set; any other is an InvalidRequestError. */
export const PATCHABLE_FIELDS: ReadonlySet<string> = new Set(DEPLOYMENT_PATCH_FIELDS);
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** CreateTable input for the store table (on-demand, history GSI projecting all attributes). TTL is set separately. */
export function storeTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [PK, SK, GPK, GSK].map((name) => ({
      AttributeName: name,
      AttributeType: 'S',
    })),
    KeySchema: [
      { AttributeName: PK, KeyType: 'HASH' },
      { AttributeName: SK, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: STORE_TABLE.historyIndex,
        KeySchema: [
          { AttributeName: GPK, KeyType: 'HASH' },
          { AttributeName: GSK, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

/** A raw table item. */
export type Item = Record<string, unknown>;

/** A condition for a conditional write. */
export interface Condition {
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames: Record<string, string>;
  readonly ExpressionAttributeValues?: Item;
}

export const key = (pk: string, sk: string): Item => ({ [PK]: pk, [SK]: sk });
export const deploymentKey = (id: string) => key(`DEP#${id}`, 'DEP');
export const lockKey = (functionName: string) => key(`LOCK#${functionName}`, 'LOCK');
export const idempotencyKey = (idemKey: string) => key(`IDEM#${idemKey}`, 'IDEM');
export const replyKey = (deploymentId: string) => key(`DEP#${deploymentId}`, 'REPLY');
/** A message claim's item: its own `CLAIM#` partitions, apart from `IDEM#` idempotency keys. */
export const claimKey = (channel: string, deploymentId: string, status: string) =>
  key(`CLAIM#${channel}#${deploymentId}#${status}`, 'CLAIM');
/** The sort key of a function's settings item (its partition is the function's history's). */
export const SETTINGS_SORT_KEY = 'SETTINGS';
export const historyPartition = (functionName: string) => `FN#${functionName}`;
/** The function a history partition (`FN#<name>`) belongs to. */
export const functionOfPartition = (partition: string) => partition.replace(/^FN#/, '');
export const settingsKey = (functionName: string) =>
  key(historyPartition(functionName), SETTINGS_SORT_KEY);
/**
 * A function's cold-start verdict for a digest: `COLDSTART#` partitions of their own (one per
 * function), apart from its history, outside every index.
 */
export const verdictKey = (functionName: string, digest: string) =>
  key(`COLDSTART#${functionName}`, `DIGEST#${digest}`);
/**
 * A deployment's current release hold: `HOLD#` partitions of their own, apart from the deployment
 * record (which the API returns: the hold's callback token must never ride along) and outside
 * every index.
 */
export const holdKey = (deploymentId: string) => key(`HOLD#${deploymentId}`, 'HOLD');
/** A function's live record: beside its settings, outside every index. */
export const liveKey = (functionName: string) => key(historyPartition(functionName), 'LIVE');
/**
 * The history index partition that lists registered functions (sort key: the name). Settings
 * items carry it so listing needs a Query, not a Scan; history partitions all start `FN#`, so
 * it never meets one.
 */
export const FUNCTIONS_PARTITION = 'FUNCTIONS';

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock } from '../../core/clock.ts';
import type { RolloutQueue } from '../../core/ports.ts';
import {
  byQueueOrder,
  type QueuedRollout,
  queuedRolloutSchema,
  type SettledOutcome,
} from '../../core/queued-rollout.ts';
import { isAwsErrorNamed, toFerryError } from './aws-errors.ts';
import { type Item, key, PK, SK, STORE_TABLE } from './dynamo-table.ts';
import { parseStored } from './stored-item.ts';

/** Every queued rollout's partition: few items, so one Query lists them all. */
const PARTITION = 'ROLLOUTS';
/** How long a settled rollout stays recorded (a redelivery within it is recognized). @default 7 days */
const SETTLED_RETENTION_SECONDS = 7 * 86400;

const prefix = (functionName?: string) =>
  functionName === undefined ? 'ROLLOUT#' : `ROLLOUT#${functionName}#`;
const itemKey = (functionName: string, eventId: string) =>
  key(PARTITION, `${prefix(functionName)}${eventId}`);

/**
 * RolloutQueue in the store's DynamoDB table: one `ROLLOUTS / ROLLOUT#<function>#<event id>` item
 * each (function names have no `#`, so a function's prefix never matches another's).
 */
export class DynamoRolloutQueue implements RolloutQueue {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly clock: Clock = systemClock,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async enqueue(rollout: QueuedRollout): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...itemKey(rollout.functionName, rollout.eventId), rollout },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }),
      );
      return true;
    } catch (error) {
      if (isAwsErrorNamed(error, 'ConditionalCheckFailedException')) return false;
      throw toFerryError(
        error,
        `dynamodb:PutItem rollout ${rollout.functionName} ${rollout.eventId}`,
      );
    }
  }

  async pending(functionName?: string): Promise<QueuedRollout[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.call('dynamodb:Query rollouts', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
            ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
            ExpressionAttributeValues: { ':pk': PARTITION, ':prefix': prefix(functionName) },
            ConsistentRead: true,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items
      .filter((item) => item.settledAt === undefined)
      .map((item) => parseStored(queuedRolloutSchema, item, 'rollout', 'rollout'))
      .sort(byQueueOrder);
  }

  async settle(functionName: string, eventId: string, outcome: SettledOutcome): Promise<void> {
    const now = this.clock.now();
    const expiresAt = Math.floor(now.getTime() / 1000) + SETTLED_RETENTION_SECONDS;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKey(functionName, eventId),
          UpdateExpression: 'SET settledAt = :at, outcome = :outcome, #ttl = :ttl',
          ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(settledAt)',
          ExpressionAttributeNames: { '#pk': PK, '#ttl': STORE_TABLE.ttlAttribute },
          ExpressionAttributeValues: {
            ':at': now.toISOString(),
            ':outcome': outcome,
            ':ttl': expiresAt,
          },
        }),
      );
    } catch (error) {
      if (isAwsErrorNamed(error, 'ConditionalCheckFailedException')) return;
      throw toFerryError(error, `dynamodb:UpdateItem rollout ${functionName} ${eventId}`);
    }
  }

  private async call<R>(context: string, run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } catch (error) {
      throw toFerryError(error, context);
    }
  }
}

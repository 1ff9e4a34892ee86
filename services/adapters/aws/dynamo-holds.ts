import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock } from '../../core/clock.ts';
import type { ReleaseHold, ReleaseHolds } from '../../core/ports.ts';
import { isAwsErrorNamed, toFerryError } from './aws-errors.ts';
import { readHold } from './dynamo-items.ts';
import { holdKey, STORE_TABLE } from './dynamo-table.ts';

/**
 * ReleaseHolds in the store table: one `HOLD#<deployment> / HOLD` item per deployment. Reads are
 * strongly consistent: an abort records itself and then reads the hold, while the hold writes
 * itself and then reads the record; each must see the other's write, or both miss each other.
 */
export class DynamoReleaseHolds implements ReleaseHolds {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    /** Decides when holds have expired. */
    private readonly clock: Clock = systemClock,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async putHold(hold: ReleaseHold): Promise<void> {
    const { deploymentId, kind, token, since, expiresAt } = hold;
    await this.call(`dynamodb:PutItem hold ${deploymentId}`, () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...holdKey(deploymentId),
            deploymentId,
            kind,
            token,
            since,
            expiresAt,
            [STORE_TABLE.ttlAttribute]: expiresAt,
          },
        }),
      ),
    );
  }

  async getHold(deploymentId: string): Promise<ReleaseHold | null> {
    const out = await this.call(`dynamodb:GetItem hold ${deploymentId}`, () =>
      this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: holdKey(deploymentId),
          ConsistentRead: true,
        }),
      ),
    );
    if (!out.Item) return null;
    const hold = readHold(out.Item);
    // DynamoDB deletes expired items late (hours, even): an expired hold is already none.
    const now = Math.floor(this.clock.now().getTime() / 1000);
    return hold.expiresAt > now ? hold : null;
  }

  async clearHold(deploymentId: string, token: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: holdKey(deploymentId),
          // A later hold replaced this one: its cleanup must leave the newer hold alone.
          ConditionExpression: '#token = :token',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':token': token },
        }),
      );
    } catch (error) {
      // Another token, or no hold at all: nothing of this caller's to clear.
      if (isAwsErrorNamed(error, 'ConditionalCheckFailedException')) return;
      throw toFerryError(error, `dynamodb:DeleteItem hold ${deploymentId}`);
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

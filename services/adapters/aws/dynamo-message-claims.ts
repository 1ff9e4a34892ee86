import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock } from '../../core/clock.ts';
import type { MessageClaim, MessageClaims } from '../../core/ports.ts';
import { isAwsErrorNamed, toFerryError } from './aws-errors.ts';
import { claimKey, PK, STORE_TABLE } from './dynamo-table.ts';

/** How long a claim holds by default: well past any retry or redelivery of a deployment's steps. */
export const DEFAULT_CLAIM_TTL_SECONDS = 30 * 86400;

/** Options for {@link DynamoMessageClaims}. */
export interface DynamoMessageClaimsOptions {
  readonly tableName: string;
  /** Seconds a claim holds. @default DEFAULT_CLAIM_TTL_SECONDS */
  readonly ttlSeconds?: number;
  /** Decides when claims expire. @default systemClock */
  readonly clock?: Clock;
}

/** MessageClaims in the store's DynamoDB table, one `CLAIM#<channel>#<deployment>#<status>` item each. */
export class DynamoMessageClaims implements MessageClaims {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly ttlSeconds: number;
  private readonly clock: Clock;

  constructor(client: DynamoDBClient, options: DynamoMessageClaimsOptions) {
    this.doc = DynamoDBDocumentClient.from(client);
    this.tableName = options.tableName;
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_CLAIM_TTL_SECONDS;
    this.clock = options.clock ?? systemClock;
  }

  async claim(claim: MessageClaim): Promise<boolean> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const expiresAt = now + this.ttlSeconds;
    const context = `dynamodb:PutItem claim ${describe(claim)}`;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key(claim),
            ...claim,
            expiresAt,
            [STORE_TABLE.ttlAttribute]: expiresAt,
          },
          // An expired claim TTL has not deleted yet (deletion is lazy) is as good as none.
          ConditionExpression: 'attribute_not_exists(#pk) OR #expiresAt <= :now',
          ExpressionAttributeNames: { '#pk': PK, '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (isAwsErrorNamed(error, 'ConditionalCheckFailedException')) return false;
      throw toFerryError(error, context);
    }
  }

  async release(claim: MessageClaim): Promise<void> {
    try {
      await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: key(claim) }));
    } catch (error) {
      throw toFerryError(error, `dynamodb:DeleteItem claim ${describe(claim)}`);
    }
  }
}

function key({ channel, deploymentId, status }: MessageClaim) {
  return claimKey(channel, deploymentId, status);
}

function describe({ channel, deploymentId, status }: MessageClaim): string {
  return `${channel} ${deploymentId} ${status}`;
}

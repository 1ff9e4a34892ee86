/**
 * A small collection kept whole in one partition of the store table (rules, Slack user links):
 * items keyed `<partition> / <prefix><key>`, each holding its value in one attribute, so listing
 * them is a Query, not a Scan. Values are read back through a zod schema, never cast.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { toFerryError } from './aws-errors.ts';
import { PK, SK } from './dynamo-table.ts';
import { parseStored } from './stored-item.ts';

/** Where a collection lives: its partition, its sort-key prefix and the attribute with the value. */
export interface PartitionLayout {
  readonly partition: string;
  readonly prefix: string;
  readonly attribute: string;
}

/** Get, put, delete and list the values of one collection (consistent reads). */
export class PartitionItems<T> {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly layout: PartitionLayout,
    /** What a stored value must look like (a CorruptItemError names the item otherwise). */
    private readonly schema: z.ZodType<T>,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async get(key: string): Promise<T | null> {
    const out = await this.call(`dynamodb:GetItem ${this.layout.partition} ${key}`, () =>
      this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: this.key(key), ConsistentRead: true }),
      ),
    );
    return out.Item ? this.parse(out.Item) : null;
  }

  async put(key: string, value: T): Promise<void> {
    await this.call(`dynamodb:PutItem ${this.layout.partition} ${key}`, () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...this.key(key), [this.layout.attribute]: value },
        }),
      ),
    );
  }

  /** Idempotent: deleting a missing item is fine. */
  async delete(key: string): Promise<void> {
    await this.call(`dynamodb:DeleteItem ${this.layout.partition} ${key}`, () =>
      this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: this.key(key) })),
    );
  }

  /** Every value, page after page. */
  async list(): Promise<T[]> {
    const values: T[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.call(`dynamodb:Query ${this.layout.partition}`, () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': PK },
            ExpressionAttributeValues: { ':pk': this.layout.partition },
            ConsistentRead: true,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      values.push(...(out.Items ?? []).map((item) => this.parse(item)));
      start = out.LastEvaluatedKey;
    } while (start);
    return values;
  }

  private parse(item: Record<string, unknown>): T {
    return parseStored(this.schema, item, this.layout.partition, this.layout.attribute);
  }

  private key(key: string) {
    return { [PK]: this.layout.partition, [SK]: `${this.layout.prefix}${key}` };
  }

  private async call<R>(context: string, run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } catch (error) {
      throw toFerryError(error, context);
    }
  }
}

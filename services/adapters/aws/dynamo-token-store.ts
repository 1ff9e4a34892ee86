import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { TokenStore } from '../../core/ports.ts';
import { toFerryError } from './aws-errors.ts';
import { key } from './dynamo-table.ts';
import { parseStored } from './stored-item.ts';

const tokenKey = (hash: string) => key(`TOKEN#${hash}`, 'TOKEN');

/** Hashed bearer tokens (local mode) in the store's DynamoDB table: items `TOKEN#<sha256 hex>`. */
export class DynamoTokenStore implements TokenStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async teamOf(tokenHash: string): Promise<string | null> {
    let item: Record<string, unknown> | undefined;
    try {
      const out = await this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: tokenKey(tokenHash),
          ConsistentRead: true,
        }),
      );
      item = out.Item;
    } catch (error) {
      throw toFerryError(error, 'dynamodb:GetItem token');
    }
    return item ? parseStored(z.string().min(1), item, 'token', 'team') : null;
  }

  async putToken(tokenHash: string, team: string): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...tokenKey(tokenHash), team, createdAt: new Date().toISOString() },
        }),
      );
    } catch (error) {
      throw toFerryError(error, 'dynamodb:PutItem token');
    }
  }
}

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { TokenInfo, TokenMade, TokenStore } from '../../core/ports.ts';
import { tokenId } from '../../core/token-id.ts';
import { toFerryError } from './aws-errors.ts';
import { PartitionItems } from './dynamo-partition.ts';
import { key } from './dynamo-table.ts';
import { parseStored } from './stored-item.ts';

const tokenKey = (hash: string) => key(`TOKEN#${hash}`, 'TOKEN');

/** A token's listing entry: its facts and the hash its lookup item is keyed by. */
const listedSchema = z.object({
  id: z.string(),
  team: z.string().min(1),
  createdAt: z.string(),
  createdBy: z.string(),
  hash: z.string(),
});

/**
 * Hashed bearer tokens (local mode) in the store's DynamoDB table: the lookup item
 * `TOKEN#<sha256 hex>` that authentication reads, and a listing entry `TOKENS / TOKEN#<id>` so
 * listing is a Query, not a Scan. Without transactions (dynalite has none) the order of writes
 * keeps a token never authenticating unlisted: listed before it works, unusable before unlisted.
 */
export class DynamoTokenStore implements TokenStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly listed: PartitionItems<z.output<typeof listedSchema>>;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
    this.listed = new PartitionItems(
      client,
      tableName,
      { partition: 'TOKENS', prefix: 'TOKEN#', attribute: 'token' },
      listedSchema,
    );
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

  async putToken(tokenHash: string, team: string, made: TokenMade): Promise<void> {
    const id = tokenId(tokenHash);
    await this.listed.put(id, { id, team, ...made, hash: tokenHash });
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...tokenKey(tokenHash), team, createdAt: made.createdAt },
        }),
      );
    } catch (error) {
      throw toFerryError(error, 'dynamodb:PutItem token');
    }
  }

  async list(): Promise<TokenInfo[]> {
    return (await this.listed.list())
      .map(({ hash: _hash, ...info }) => info)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async revoke(id: string): Promise<boolean> {
    const entry = await this.listed.get(id);
    if (!entry) return false;
    try {
      await this.doc.send(
        new DeleteCommand({ TableName: this.tableName, Key: tokenKey(entry.hash) }),
      );
    } catch (error) {
      throw toFerryError(error, 'dynamodb:DeleteItem token');
    }
    await this.listed.delete(id);
    return true;
  }
}

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import type { SlackUserLink, SlackUserLinks } from '../../core/ports.ts';
import type { Assert, SameShape } from '../../core/same-shape.ts';
import { PartitionItems } from './dynamo-partition.ts';

/** A link as stored; unknown fields are dropped. */
const storedLinkSchema = z.object({
  userId: z.string(),
  team: z.string(),
  linkedBy: z.string(),
  linkedAt: z.string(),
});

/** Proof that a stored link reads back as exactly a SlackUserLink. */
export type StoredLinkMatches = Assert<SameShape<z.output<typeof storedLinkSchema>, SlackUserLink>>;

/** SlackUserLinks in the store's DynamoDB table: all links in one partition (a workspace has few). */
export class DynamoSlackUserLinks implements SlackUserLinks {
  private readonly items: PartitionItems<SlackUserLink>;

  constructor(client: DynamoDBClient, tableName: string) {
    this.items = new PartitionItems(
      client,
      tableName,
      { partition: 'SLACKUSERS', prefix: 'USER#', attribute: 'link' },
      storedLinkSchema,
    );
  }

  async teamOf(userId: string): Promise<string | null> {
    return (await this.items.get(userId))?.team ?? null;
  }

  link(link: SlackUserLink): Promise<void> {
    return this.items.put(link.userId, link);
  }

  unlink(userId: string): Promise<void> {
    return this.items.delete(userId);
  }

  list(): Promise<SlackUserLink[]> {
    return this.items.list();
  }
}

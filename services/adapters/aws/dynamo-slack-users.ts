import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SlackUserLink, SlackUserLinks } from '../../core/ports.ts';
import { slackUserLinkSchema } from '../../core/slack-user-link.ts';
import { PartitionItems } from './dynamo-partition.ts';

/** SlackUserLinks in the store's DynamoDB table: all links in one partition (a workspace has few). */
export class DynamoSlackUserLinks implements SlackUserLinks {
  private readonly items: PartitionItems<SlackUserLink>;

  constructor(client: DynamoDBClient, tableName: string) {
    this.items = new PartitionItems(
      client,
      tableName,
      { partition: 'SLACKUSERS', prefix: 'USER#', attribute: 'link' },
      // Read as the core schema: unknown fields are dropped.
      slackUserLinkSchema,
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

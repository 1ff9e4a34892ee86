import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type LiveRelease, liveReleaseSchema } from '../../core/live.ts';
import type { LiveReleases } from '../../core/ports.ts';
import { toFerryError } from './aws-errors.ts';
import { liveKey } from './dynamo-table.ts';
import { parseStored } from './stored-item.ts';

/** LiveReleases in the store table: one `FN#<name> / LIVE` item per function (consistent reads). */
export class DynamoLiveReleases implements LiveReleases {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async getLive(functionName: string): Promise<LiveRelease | null> {
    const out = await this.call(`dynamodb:GetItem live ${functionName}`, () =>
      this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: liveKey(functionName),
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item ? parseStored(liveReleaseSchema, out.Item, 'live', 'live') : null;
  }

  async putLive(release: LiveRelease): Promise<void> {
    await this.call(`dynamodb:PutItem live ${release.functionName}`, () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...liveKey(release.functionName), live: release },
        }),
      ),
    );
  }

  private async call<R>(context: string, run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } catch (error) {
      throw toFerryError(error, context);
    }
  }
}

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type ColdStartVerdict, coldStartVerdictSchema } from '../../core/cold-start-verdict.ts';
import type { ColdStartVerdicts } from '../../core/ports.ts';
import { toFerryError } from './aws-errors.ts';
import { verdictKey } from './dynamo-table.ts';
import { parseStored } from './stored-item.ts';

/**
 * ColdStartVerdicts in the store table: one `COLDSTART#<function> / DIGEST#<digest>` item per
 * verdict (consistent reads: a re-run right after a rejection must see it).
 */
export class DynamoColdStartVerdicts implements ColdStartVerdicts {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async getVerdict(functionName: string, digest: string): Promise<ColdStartVerdict | null> {
    const out = await this.call(`dynamodb:GetItem verdict ${functionName} ${digest}`, () =>
      this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: verdictKey(functionName, digest),
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item ? parseStored(coldStartVerdictSchema, out.Item, 'verdict', 'verdict') : null;
  }

  async putVerdict(verdict: ColdStartVerdict): Promise<void> {
    const { functionName, digest } = verdict;
    await this.call(`dynamodb:PutItem verdict ${functionName} ${digest}`, () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...verdictKey(functionName, digest), verdict },
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

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { RuleStore } from '../../core/ports.ts';
import type { RolloutRule } from '../../core/rules.ts';
import { toFerryError } from './aws-errors.ts';
import { PK, SK } from './dynamo-table.ts';

// All rules share one partition so listing them is a Query, not a Scan; there are few.
const RULES_PARTITION = 'RULES';
const ruleKey = (repository: string) => ({ [PK]: RULES_PARTITION, [SK]: `REPO#${repository}` });

/** RuleStore in the store's DynamoDB table. */
export class DynamoRuleStore implements RuleStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async getRule(repository: string): Promise<RolloutRule | null> {
    const out = await this.call(`dynamodb:GetItem rule ${repository}`, () =>
      this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: ruleKey(repository),
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item ? (out.Item.rule as RolloutRule) : null;
  }

  async putRule(rule: RolloutRule): Promise<void> {
    await this.call(`dynamodb:PutItem rule ${rule.repository}`, () =>
      this.doc.send(
        new PutCommand({ TableName: this.tableName, Item: { ...ruleKey(rule.repository), rule } }),
      ),
    );
  }

  async deleteRule(repository: string): Promise<void> {
    await this.call(`dynamodb:DeleteItem rule ${repository}`, () =>
      this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: ruleKey(repository) })),
    );
  }

  async listRules(): Promise<RolloutRule[]> {
    const rules: RolloutRule[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.call('dynamodb:Query rules', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': PK },
            ExpressionAttributeValues: { ':pk': RULES_PARTITION },
            ConsistentRead: true,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      for (const item of out.Items ?? []) rules.push(item.rule as RolloutRule);
      start = out.LastEvaluatedKey;
    } while (start);
    return rules;
  }

  private async call<T>(context: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toFerryError(error, context);
    }
  }
}

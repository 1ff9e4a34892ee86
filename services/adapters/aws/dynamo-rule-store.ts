import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RuleStore } from '../../core/ports.ts';
import { type RolloutRule, rolloutRuleRecordSchema } from '../../core/rules.ts';
import { PartitionItems } from './dynamo-partition.ts';

/** RuleStore in the store's DynamoDB table: all rules in one partition (there are few). */
export class DynamoRuleStore implements RuleStore {
  private readonly items: PartitionItems<RolloutRule>;

  constructor(client: DynamoDBClient, tableName: string) {
    this.items = new PartitionItems(
      client,
      tableName,
      { partition: 'RULES', prefix: 'REPO#', attribute: 'rule' },
      rolloutRuleRecordSchema,
    );
  }

  getRule(repository: string): Promise<RolloutRule | null> {
    return this.items.get(repository);
  }

  putRule(rule: RolloutRule): Promise<void> {
    return this.items.put(rule.repository, rule);
  }

  deleteRule(repository: string): Promise<void> {
    return this.items.delete(repository);
  }

  listRules(): Promise<RolloutRule[]> {
    return this.items.list();
  }
}

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import type { RuleStore } from '../../core/ports.ts';
import { type RolloutRule, rolloutRuleSchema } from '../../core/rules.ts';
import type { Assert, SameShape } from '../../core/same-shape.ts';
import { PartitionItems } from './dynamo-partition.ts';

/** A rule as stored: the API's rule plus its repository; unknown fields are dropped. */
const storedRuleSchema = z.object({ ...rolloutRuleSchema.shape, repository: z.string() });

/** Proof that a stored rule reads back as exactly a RolloutRule. */
export type StoredRuleMatches = Assert<SameShape<z.output<typeof storedRuleSchema>, RolloutRule>>;

/** RuleStore in the store's DynamoDB table: all rules in one partition (there are few). */
export class DynamoRuleStore implements RuleStore {
  private readonly items: PartitionItems<RolloutRule>;

  constructor(client: DynamoDBClient, tableName: string) {
    this.items = new PartitionItems(
      client,
      tableName,
      { partition: 'RULES', prefix: 'REPO#', attribute: 'rule' },
      storedRuleSchema,
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

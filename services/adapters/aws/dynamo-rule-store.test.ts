import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStoreTable,
  type RunningDynalite,
  startDynalite,
} from '../../../local/dynalite-server.ts';
import { rolloutRuleSchema } from '../../core/rules.ts';
import { DynamoRuleStore } from './dynamo-rule-store.ts';

let db: RunningDynalite;
let rules: DynamoRuleStore;

beforeAll(async () => {
  db = await startDynalite();
  await createStoreTable(db.client, 'ferry-rules-test');
  rules = new DynamoRuleStore(db.client, 'ferry-rules-test');
});
afterAll(() => db.close());

const rule = (repository: string, tagPattern: string) => ({
  repository,
  ...rolloutRuleSchema.parse({ tagPattern, functions: ['orders'] }),
});

describe('Class: DynamoRuleStore', () => {
  it('stores, replaces, lists and deletes rules by repository', async () => {
    await rules.putRule(rule('team/api', 'release-*'));
    await rules.putRule(rule('team/web', 'v*'));
    await rules.putRule(rule('team/api', 'prod-*'));

    expect(await rules.getRule('team/api')).toMatchObject({
      tagPattern: 'prod-*',
      functions: ['orders'],
    });
    expect((await rules.listRules()).map((r) => r.repository).sort()).toEqual([
      'team/api',
      'team/web',
    ]);

    await rules.deleteRule('team/api');
    await rules.deleteRule('team/api');
    expect(await rules.getRule('team/api')).toBeNull();
    expect((await rules.listRules()).map((r) => r.repository)).toEqual(['team/web']);
  });
});

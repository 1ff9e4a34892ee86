/** The RuleStore contract: one rollout rule per repository. */
import { describe, expect, it } from 'vitest';
import type { RuleStore } from '../../services/core/ports.ts';
import { type RolloutRule, rolloutRuleSchema } from '../../services/core/rules.ts';
import { freshSubject, type MakeSubject } from './subject.ts';

const rule = (repository: string, tagPattern: string, enabled = true): RolloutRule => ({
  repository,
  ...rolloutRuleSchema.parse({ tagPattern, functions: ['orders', 'billing'], enabled }),
});

const byRepository = (rules: RolloutRule[]) =>
  [...rules].sort((a, b) => a.repository.localeCompare(b.repository));

/** Registers the RuleStore contract for one implementation. */
export function describeRuleStoreContract(
  implementation: string,
  make: MakeSubject<RuleStore>,
): void {
  describe(`RuleStore contract (${implementation})`, () => {
    const subject = freshSubject(make);
    const rules = () => subject().port;

    it('returns null for a repository without a rule, and lists none', async () => {
      await expect(rules().getRule('team/api')).resolves.toBeNull();
      await expect(rules().listRules()).resolves.toStrictEqual([]);
    });

    it('returns a stored rule exactly as given', async () => {
      const stored = rule('team/api', 'release-*', false);
      await rules().putRule(stored);
      await expect(rules().getRule('team/api')).resolves.toStrictEqual(stored);
    });

    it('replaces the rule of a repository put again', async () => {
      await rules().putRule(rule('team/api', 'release-*'));
      const replaced = rule('team/api', 'prod-?');
      await rules().putRule(replaced);
      await expect(rules().getRule('team/api')).resolves.toStrictEqual(replaced);
      await expect(rules().listRules()).resolves.toStrictEqual([replaced]);
    });

    // The order of listRules is not part of the port: compared by repository.
    it('lists every rule once', async () => {
      const stored = [rule('team/web', 'v*'), rule('team/api', 'release-*'), rule('a/b', '*')];
      for (const r of stored) await rules().putRule(r);
      expect(byRepository(await rules().listRules())).toStrictEqual(byRepository(stored));
    });

    it('deletes a rule, and deleting a missing one is fine', async () => {
      await rules().putRule(rule('team/api', 'release-*'));
      const kept = rule('team/web', 'v*');
      await rules().putRule(kept);
      await rules().deleteRule('team/api');
      await rules().deleteRule('team/api');
      await rules().deleteRule('team/none');
      await expect(rules().getRule('team/api')).resolves.toBeNull();
      await expect(rules().listRules()).resolves.toStrictEqual([kept]);
    });
  });
}

import type { RuleStore } from '../../services/core/ports.ts';
import type { RolloutRule } from '../../services/core/rules.ts';
import { byUtf8, copyOut } from './copy.ts';

/** In-memory RuleStore with the DynamoDB adapter's semantics (copies, listed by repository). */
export class MemoryRuleStore implements RuleStore {
  private readonly rules = new Map<string, RolloutRule>();

  async getRule(repository: string): Promise<RolloutRule | null> {
    const rule = this.rules.get(repository);
    return rule ? copyOut(rule) : null;
  }

  async putRule(rule: RolloutRule): Promise<void> {
    this.rules.set(rule.repository, copyOut(rule));
  }

  async deleteRule(repository: string): Promise<void> {
    this.rules.delete(repository);
  }

  async listRules(): Promise<RolloutRule[]> {
    return [...this.rules.entries()]
      .sort(([a], [b]) => byUtf8(a, b))
      .map(([, rule]) => copyOut(rule));
  }
}

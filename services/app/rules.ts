/** Auto-rollout rules: what may be set, for every entry point that sets them. */
import { ConflictError } from '../core/errors.ts';
import type { RuleStore } from '../core/ports.ts';
import type { RolloutRule } from '../core/rules.ts';
import type { AppDeps, Caller } from './deps.ts';
import { requireAdmin } from './ownership.ts';

/**
 * Stores `rule` (admin team only). A repository whose pushes never reach Ferry is refused
 * (ConflictError `repository-not-watched`): its rule would be stored and then never fire.
 */
export async function putRule(
  deps: Pick<AppDeps, 'config'> & { readonly rules: RuleStore },
  caller: Caller,
  rule: RolloutRule,
): Promise<RolloutRule> {
  requireAdmin(caller, 'managing auto-rollout rules');
  const watched = deps.config.watchedRepositories;
  if (watched && !watched.includes(rule.repository)) {
    const list = watched.length > 0 ? watched.join(', ') : 'none';
    throw new ConflictError(
      `pushes to ${rule.repository} do not reach Ferry, so its rule would never fire: the stack's ECR push rule watches the repositories in the "ferry:repositories" context (now: ${list}); add "${rule.repository}" there (cdk.json or --context) and run npx cdk deploy, then set the rule`,
      { kind: 'repository-not-watched' },
    );
  }
  await deps.rules.putRule(rule);
  return rule;
}

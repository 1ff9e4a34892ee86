import { z } from 'zod';

/** Tags Ferry itself pushes: they never trigger a rollout (a build's candidate would deploy itself). */
export const FERRY_OWN_TAG = /^(ferry-candidate-|ferry-release-|ferry-buildcache)/;

/** An auto-rollout rule: pushes to `repository` whose tag matches `tagPattern` deploy to `functions`. */
export const rolloutRuleSchema = z.strictObject({
  /** Glob over the tag: `*` any run of characters, `?` one character. */
  tagPattern: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9_.*?-]+$/, 'tag patterns use tag characters plus * and ?'),
  functions: z
    .array(z.string().regex(/^[a-zA-Z0-9-_]{1,64}$/, 'function names are [a-zA-Z0-9-_]{1,64}'))
    .min(1)
    .max(50),
  enabled: z.boolean().default(true),
});

/** A rule as stored and served: the repository is its key; unknown fields are dropped on reading. */
export const rolloutRuleRecordSchema = z.object({
  ...rolloutRuleSchema.shape,
  repository: z.string(),
});

/** A rule as stored. */
export type RolloutRule = z.output<typeof rolloutRuleRecordSchema>;

/** True when `tag` matches the glob `pattern` (whole tag, case-sensitive). */
export function tagMatches(pattern: string, tag: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(tag);
}

/** The functions a push of `tag` to the rule's repository rolls out to (none for Ferry's own tags). */
export function rolloutTargets(rule: RolloutRule | null, tag: string | undefined): string[] {
  if (!rule?.enabled || !tag || FERRY_OWN_TAG.test(tag)) return [];
  return tagMatches(rule.tagPattern, tag) ? [...new Set(rule.functions)] : [];
}

/**
 * The idempotency key of an automatic rollout: one deployment per (function, digest), however
 * often or concurrently the push event arrives.
 */
export function rolloutKey(functionName: string, digest: string): string {
  return `rollout:${functionName}:${digest}`;
}

import { describe, expect, it } from 'vitest';
import {
  type RolloutRule,
  rolloutKey,
  rolloutRuleSchema,
  rolloutTargets,
  tagMatches,
} from './rules.ts';

const rule = (tagPattern: string, extra: Partial<RolloutRule> = {}): RolloutRule => ({
  repository: 'team/api',
  ...rolloutRuleSchema.parse({ tagPattern, functions: ['orders', 'orders-eu', 'orders'] }),
  ...extra,
});

describe('Rules: rollout targets', () => {
  it('matches exact tags, wildcards and single-character globs', () => {
    expect(tagMatches('v1.2.3', 'v1.2.3')).toBe(true);
    expect(tagMatches('v1.2.3', 'v1.2.30')).toBe(false);
    expect(tagMatches('release-*', 'release-2026-11-28')).toBe(true);
    expect(tagMatches('v?', 'v7')).toBe(true);
    expect(tagMatches('v?', 'v10')).toBe(false);
    expect(tagMatches('v1.*', 'v1x2')).toBe(false);
  });

  it('rolls out to each function once when the tag matches', () => {
    expect(rolloutTargets(rule('release-*'), 'release-7')).toEqual(['orders', 'orders-eu']);
  });

  it('rolls out nothing for no rule, a disabled rule, no tag or no match', () => {
    expect(rolloutTargets(null, 'release-7')).toEqual([]);
    expect(rolloutTargets(rule('release-*', { enabled: false }), 'release-7')).toEqual([]);
    expect(rolloutTargets(rule('*'), undefined)).toEqual([]);
    expect(rolloutTargets(rule('release-*'), 'dev-7')).toEqual([]);
  });

  it("never rolls out Ferry's own candidate, release or cache tags, even for a * rule", () => {
    for (const tag of ['ferry-candidate-d-01J', 'ferry-release-d-01J', 'ferry-buildcache']) {
      expect(rolloutTargets(rule('*'), tag)).toEqual([]);
    }
  });

  it('refuses patterns with characters tags cannot have', () => {
    expect(rolloutRuleSchema.safeParse({ tagPattern: 'v1;rm -rf', functions: ['a'] }).success).toBe(
      false,
    );
    expect(rolloutRuleSchema.safeParse({ tagPattern: '*', functions: [] }).success).toBe(false);
  });

  it('keys a rollout by function and digest', () => {
    expect(rolloutKey('orders', 'sha256:ab')).toBe('rollout:orders:sha256:ab');
  });
});

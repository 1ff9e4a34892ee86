/**
 * The `traffic` member of a status event's detail (EventBridge `Ferry Deployment Status Change`):
 * how the release moved traffic and where it ended, in figures rules can match on.
 */
import type { Deployment } from '../core/deployment.ts';
import type { ReleaseStrategy } from '../core/release-strategy.ts';
import { describeStrategy, lastJudgement } from '../core/traffic-words.ts';

/** A status event's `traffic`; null for a deployment that never reached its release steps. */
export interface TrafficDetail {
  /** The explicit strategy; null when the deployment was decided on before its release began. */
  readonly strategy: ReleaseStrategy | null;
  /** `canary 10% for 5 min, then all`. */
  readonly description: string | null;
  /** The new version's share of the alias when the event was sent, 0 to 1. */
  readonly weight: number | null;
  /** The current step, counted from 1, and the number of steps. */
  readonly step: number | null;
  readonly steps: number | null;
  readonly phase: NonNullable<Deployment['traffic']>['phase'] | null;
  readonly judgements: number;
  readonly lastJudgement: {
    readonly step: number;
    readonly outcome: string;
    readonly action: string;
    readonly reason: string;
  } | null;
  readonly provisionedConcurrency: {
    readonly version: string;
    readonly requested: number;
    readonly status: string;
  } | null;
  readonly approval: { readonly by: string; readonly at: string } | null;
  readonly abort: { readonly by: string; readonly at: string } | null;
}

/** The deployment's release in figures: strategy, final weight, last judgement, who decided. */
export function trafficDetail(d: Deployment): TrafficDetail | null {
  const t = d.traffic;
  if (!t && !d.approval && !d.abort) return null;
  const last = lastJudgement(t);
  const pc = t?.provisionedConcurrency;
  return {
    strategy: t?.strategy ?? null,
    description: t ? describeStrategy(t.strategy) : null,
    weight: t?.weight ?? null,
    step: t ? Math.min(t.step + 1, t.steps.length) : null,
    steps: t?.steps.length ?? null,
    phase: t?.phase ?? null,
    judgements: t?.judgements.length ?? 0,
    lastJudgement: last
      ? { step: last.step + 1, outcome: last.outcome, action: last.action, reason: last.reason }
      : null,
    provisionedConcurrency: pc
      ? { version: pc.version, requested: pc.requested, status: pc.status }
      : null,
    approval: d.approval ?? null,
    abort: d.abort ?? null,
  };
}

/**
 * A gradual release in words, the same in every medium (CLI, Slack, web page, status events):
 * the strategy, a weight as a percent, the step, the time left and the phase.
 */
import type { Deployment } from './deployment.ts';
import type { ReleaseStrategy } from './release-strategy.ts';

/** A deployment's traffic record. */
export type Traffic = NonNullable<Deployment['traffic']>;

/** A judged step of a release. */
export type Judgement = Traffic['judgements'][number];

/** `25%`; a share under 1% (but not 0) keeps one decimal, so it never reads as nothing. */
export function percentOf(weight: number): string {
  const percent = weight * 100;
  if (percent > 0 && percent < 1) return `${percent.toFixed(1)}%`;
  return `${Math.round(percent)}%`;
}

/** `90 s`, `5 min`, `2 h 30 min`: a strategy's interval or the time a step has left. */
export function secondsInWords(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 120) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}

/** `all at once`, `canary 10% for 5 min, then all`, `linear +10% every 2 min`. */
export function describeStrategy(strategy: ReleaseStrategy): string {
  switch (strategy.strategy) {
    case 'all-at-once':
      return 'all at once';
    case 'canary':
      return `canary ${strategy.percent}% for ${secondsInWords(strategy.intervalSeconds)}, then all`;
    case 'linear':
      return `linear +${strategy.percent}% every ${secondsInWords(strategy.intervalSeconds)}`;
  }
}

/** What each phase is called where people read it. */
export const PHASE_WORDS: Record<Traffic['phase'], string> = {
  provisioning: 'provisioning',
  holding: 'holding',
  judging: 'judging',
  'awaiting-approval': 'awaiting approval',
  complete: 'complete',
  'rolled-back': 'rolled back',
};

/** `2/3`: the current step, counted from 1. */
export const stepOf = (t: Traffic) => `${Math.min(t.step + 1, t.steps.length)}/${t.steps.length}`;

/** Seconds until the current step's hold ends, or null when none is running. */
export function secondsLeft(t: Traffic, now: Date): number | null {
  if (!t.stepEndsAt || (t.phase !== 'holding' && t.phase !== 'awaiting-approval')) return null;
  return Math.max(0, (Date.parse(t.stepEndsAt) - now.getTime()) / 1000);
}

/** The newest judgement, if a step has been judged. */
export const lastJudgement = (t: Traffic | undefined): Judgement | undefined =>
  t?.judgements.at(-1);

/**
 * One line for where the release is: `25% → version 7 · step 2/3 · holding · 4 min left`. The
 * version is the new one (the record's release, else the judged candidate).
 */
export function trafficLine(d: Deployment, now: Date): string | null {
  const t = d.traffic;
  if (!t) return null;
  const version = d.release?.version ?? lastJudgement(t)?.candidate.version;
  const left = secondsLeft(t, now);
  return [
    `${percentOf(t.weight)} → ${version ? `version ${version}` : 'the new version'}`,
    `step ${stepOf(t)}`,
    PHASE_WORDS[t.phase],
    ...(left === null ? [] : [`${secondsInWords(left)} left`]),
    ...(t.extensions > 0 ? [`extended ${t.extensions}×`] : []),
  ].join(' · ');
}

/** `5 on version 7, READY` (and where the old version's were removed from). */
export function provisioningLine(t: Traffic | undefined): string | null {
  const pc = t?.provisionedConcurrency;
  if (!pc) return null;
  const removed = pc.removedFrom ? `; removed from version ${pc.removedFrom}` : '';
  return `${pc.requested} on version ${pc.version}, ${pc.status}${removed}`;
}

/** `step 1 (10%): pass → next — <reason>`. */
export function judgementLine(j: Judgement): string {
  return `step ${j.step + 1} (${percentOf(j.weight)}): ${j.outcome} → ${j.action} — ${j.reason}`;
}

/** A labelled fact about a release, for media that lay facts out as fields. */
export interface TrafficFact {
  readonly label: string;
  readonly text: string;
}

/**
 * What a message says about a release, in order: the strategy, where the traffic is, the last
 * judgement's reason, provisioned concurrency, and who approved or aborted. Empty for a
 * deployment that never reached its release steps and was never decided on.
 */
export function trafficFacts(d: Deployment, now: Date): TrafficFact[] {
  const t = d.traffic;
  const facts: TrafficFact[] = [];
  if (t) {
    facts.push({ label: 'Release', text: describeStrategy(t.strategy) });
    facts.push({ label: 'Traffic', text: trafficLine(d, now) ?? '-' });
    const last = lastJudgement(t);
    if (last) facts.push({ label: 'Last judgement', text: judgementLine(last) });
    const pc = provisioningLine(t);
    if (pc) facts.push({ label: 'Provisioned concurrency', text: pc });
  }
  if (d.approval) facts.push({ label: 'Approved', text: `by ${d.approval.by}` });
  if (d.abort) facts.push({ label: 'Aborted', text: `by ${d.abort.by}` });
  return facts;
}

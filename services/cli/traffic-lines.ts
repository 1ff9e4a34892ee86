/** A gradual release in the terminal: the live block, the lines printed as things change, the summary. */
import type { Deployment } from '../core/deployment.ts';
import {
  describeStrategy,
  judgementLine,
  provisioningLine,
  trafficLine,
} from '../core/traffic-words.ts';

/** What to run now, when the release waits on someone: approve or abort, or abort only. */
function hint(d: Deployment): string {
  const phase = d.traffic?.phase;
  if (d.abort || d.status !== 'RUNNING') return '';
  if (phase === 'awaiting-approval') return `: ferry approve ${d.id} or ferry abort ${d.id}`;
  if (phase === 'holding' || phase === 'judging') return ` (to stop it: ferry abort ${d.id})`;
  return '';
}

/** The lines that stay true until the next poll, for the redrawn block and `ferry status`. */
export function trafficBlock(d: Deployment, now: Date): string[] {
  const t = d.traffic;
  const lines: string[] = [];
  if (t) {
    lines.push(`  release       ${describeStrategy(t.strategy)}`);
    lines.push(`  traffic       ${trafficLine(d, now)}${hint(d)}`);
    const pc = provisioningLine(t);
    if (pc) lines.push(`  provisioned   ${pc}`);
    for (const j of t.judgements) lines.push(`  judged        ${judgementLine(j)}`);
  }
  if (d.approval) lines.push(`  approved      by ${d.approval.by} at ${d.approval.at}`);
  if (d.abort) lines.push(`  aborted       by ${d.abort.by} at ${d.abort.at}`);
  return lines;
}

/**
 * The release's changes as keyed lines, for output that is not a terminal: the caller prints each
 * key once, so a line appears when its fact first shows up (a step, a phase, a judgement landing)
 * and the time left is the time left then.
 */
export function trafficEvents(d: Deployment, now: Date): [key: string, line: string][] {
  const t = d.traffic;
  const events: [string, string][] = [];
  if (t) {
    events.push(['release', `release ${describeStrategy(t.strategy)}`]);
    const pc = t.provisionedConcurrency;
    if (pc)
      events.push([`provisioned:${pc.status}`, `provisioned concurrency ${provisioningLine(t)}`]);
    // Judgements first: the verdict on a step comes before the step it leads to.
    t.judgements.forEach((j, i) => {
      events.push([`judgement:${i}`, `judged ${judgementLine(j)}`]);
    });
    const state = `traffic:${t.step}:${t.weight}:${t.phase}:${t.extensions}`;
    events.push([state, `traffic ${trafficLine(d, now)}${hint(d)}`]);
  }
  if (d.approval) events.push(['approval', `approved by ${d.approval.by}`]);
  if (d.abort) events.push(['abort', `aborted by ${d.abort.by}: rolling back`]);
  return events;
}

import { type Deployment, isTerminal, type StepRecord } from '../core/deployment.ts';
import { type StepVerdict, stepVerdict } from '../core/outcome-words.ts';
import type { FerryClient } from './client.ts';
import { stepElapsed, stepLines } from './render.ts';
import { trafficBlock, trafficEvents } from './traffic-lines.ts';

/** Where progress goes. */
export interface ProgressOutput {
  write(text: string): void;
  /** True on a terminal: lines are redrawn in place; otherwise a line is printed per change. */
  readonly isTTY: boolean;
}

/**
 * Polls a deployment until it ends, showing live per-step progress and, in a gradual release,
 * the traffic (weight, step, time left, phase, what to run) and each judgement as it lands: on a
 * TTY the block is redrawn in place; elsewhere each change is printed once, as plain lines.
 */
export async function followDeployment(
  client: FerryClient,
  id: string,
  out: ProgressOutput,
  options: {
    intervalMs?: number;
    sleep?: (ms: number) => Promise<void>;
    now?: () => Date;
    /** Called with each state read, before it is shown (`--logs` prints the build's new lines). */
    onPoll?: (d: Deployment) => Promise<void>;
  } = {},
): Promise<Deployment> {
  const now = options.now ?? (() => new Date());
  const interval = options.intervalMs ?? 1000;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  let drawn = 0;
  const printed = new Set<string>();
  for (;;) {
    const d = await client.request<Deployment>('GET', `/v1/deployments/${encodeURIComponent(id)}`);
    // What the build wrote before this state: its lines go above the steps' news.
    await options.onPoll?.(d);
    if (out.isTTY) {
      const at = now();
      const lines = [
        `${d.status.padEnd(9)} ${d.id} → ${d.functionName}`,
        ...stepLines(d, at),
        ...trafficBlock(d, at),
      ];
      // Move up over the previous block and clear each line before redrawing.
      out.write(`${drawn ? `\x1b[${drawn}A` : ''}${lines.map((l) => `\x1b[2K${l}\n`).join('')}`);
      drawn = lines.length;
    } else {
      for (const s of d.steps) {
        const verdict = stepVerdict(d, s);
        const key = `${s.name}:${verdict.outcome}`;
        if (printed.has(key)) continue;
        printed.add(key);
        out.write(`${stepEvent(s, verdict, now())}\n`);
      }
      for (const [key, line] of trafficEvents(d, now())) {
        if (printed.has(key)) continue;
        printed.add(key);
        out.write(`${line}\n`);
      }
    }
    if (isTerminal(d.status)) return d;
    await sleep(interval);
  }
}

/** `started SmokeInvoke`, `succeeded Prepare (1.2 s)`, `failed SmokeInvoke (3.1 s): smoke failed: …`. */
function stepEvent(s: StepRecord, verdict: StepVerdict, now: Date): string {
  if (verdict.outcome === 'running') return `started ${s.name}`;
  const why = verdict.outcome === 'failed' && verdict.detail ? `: ${verdict.detail}` : '';
  return `${verdict.outcome} ${s.name} (${stepElapsed(s, now)})${why}`;
}

/** `--wait` during a long step: elapsed time on a terminal, a line per start and end in a pipe. */
import { describe, expect, it } from 'vitest';
import { aDeployment } from '../../test/fakes/deployments.ts';
import type { Deployment, StepRecord } from '../core/deployment.ts';
import { runCli } from './main.ts';

const ID = 'd-01JDEMO0000000000000000000';
const T0 = Date.parse('2026-11-28T12:00:00.000Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();
const build = (endedAt?: number): StepRecord => ({
  name: 'Build',
  startedAt: iso(1),
  ...(endedAt === undefined ? {} : { endedAt: iso(endedAt) }),
  outcome: endedAt === undefined ? 'running' : 'succeeded',
  attempts: 1,
});

/** What successive polls see: a build running for a while, then done, then the release live. */
const polls: Deployment[] = [
  aDeployment({ id: ID, status: 'RUNNING', steps: [build()] }),
  aDeployment({ id: ID, status: 'RUNNING', steps: [build()] }),
  aDeployment({ id: ID, status: 'RUNNING', steps: [build()] }),
  aDeployment({
    id: ID,
    status: 'SUCCEEDED',
    steps: [build(95)],
    previous: { version: '6', digest: null, imageUri: null },
    release: { version: '7', digest: null, imageUri: null },
  }),
];

/** Follows the scripted deployment; the clock moves 30 s a poll. */
async function follow(tty: boolean) {
  const out: string[] = [];
  let poll = 0;
  const code = await runCli(['status', ID, '--wait'], {
    stdout: { write: (t) => void out.push(t), isTTY: tty },
    stderr: { write: () => {} },
    env: { FERRY_URL: 'http://127.0.0.1:8787', FERRY_TOKEN: 't' },
    fetch: (async () => {
      const body = polls[Math.min(poll++, polls.length - 1)];
      return new Response(JSON.stringify(body), {
        headers: { 'content-type': 'application/json' },
      });
    }) as unknown as typeof fetch,
    sleep: async () => {},
    pollMs: 0,
    now: () => new Date(T0 + 1000 + 30_000 * poll),
  });
  return { code, out: out.join('') };
}

describe('CLI: following a long step', () => {
  it('redraws the running step with its elapsed time on a terminal', async () => {
    const { code, out } = await follow(true);
    expect(code).toBe(0);
    const frames = out.split('\x1b[2K').filter((l) => l.includes('Build'));
    // One line per redraw, each moving the cursor back up over the block first.
    expect(frames.map((l) => (l.split('\n')[0] ?? '').replace(/\s+/g, ' ').trim())).toEqual([
      '… Build 30.0 s',
      '… Build 1m 00s',
      '… Build 1m 30s',
      '✓ Build 1m 34s',
    ]);
    expect(out.trimEnd().split('\n').at(-1)).toBe('  live          version 7 (was 6)');
  });

  it('prints a line when a step starts and one when it ends, with its duration, in a pipe', async () => {
    const { out } = await follow(false);
    expect(out).not.toContain('\x1b[');
    expect(out.split('\n').filter((l) => l.includes('Build'))).toEqual([
      'started Build',
      'succeeded Build (1m 34s)',
    ]);
  });
});

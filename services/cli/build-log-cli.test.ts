/** `ferry status --logs` and `ferry deploy --wait --logs` against a scripted API. */
import { describe, expect, it } from 'vitest';
import { aDeployment } from '../../test/fakes/deployments.ts';
import type { Deployment } from '../core/deployment.ts';
import { runCli } from './main.ts';

const ID = 'd-01JDX3Q4ZJ8M2V7N5K1R9T6W3A';
const SOURCE = { source: { url: 'https://git.example.com/team/orders.git' } };
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status < 300 ? 'application/json' : 'application/problem+json' },
  });

/** The CLI against an API whose deployment reads and build-log reads are answered in turn. */
async function ferry(argv: string[], answers: { deployments: Deployment[]; logs: unknown[] }) {
  const out: string[] = [];
  const sent: URL[] = [];
  let reads = 0;
  let logReads = 0;
  const fetch = (async (url: URL, init?: RequestInit) => {
    sent.push(url);
    if (init?.method === 'POST') return json({ id: ID, status: 'PENDING' }, 202);
    if (url.pathname.endsWith('/build-log')) {
      const answer = answers.logs[Math.min(logReads++, answers.logs.length - 1)];
      return answer instanceof Response ? answer : json(answer);
    }
    return json(answers.deployments[Math.min(reads++, answers.deployments.length - 1)]);
  }) as typeof globalThis.fetch;
  const code = await runCli(argv, {
    stdout: { write: (t) => void out.push(t), isTTY: true },
    stderr: { write: () => {} },
    env: { FERRY_URL: 'http://127.0.0.1:8787', FERRY_TOKEN: 't' },
    fetch,
    sleep: async () => {},
    pollMs: 0,
  });
  return { code, out: out.join(''), sent };
}

const building = aDeployment({
  id: ID,
  status: 'RUNNING',
  request: SOURCE,
  steps: [
    { name: 'Build', startedAt: '2026-11-28T12:00:01.000Z', outcome: 'running', attempts: 1 },
  ],
});
const failed = aDeployment({
  id: ID,
  status: 'FAILED',
  request: SOURCE,
  reason:
    'build failed: RUN exit 3 (Dockerfile line 5): make — last lines: make: *** [all] Error 3',
  steps: [
    {
      name: 'Build',
      startedAt: '2026-11-28T12:00:01.000Z',
      endedAt: '2026-11-28T12:00:09.000Z',
      outcome: 'failed',
      attempts: 1,
      detail: 'RUN exit 3 (Dockerfile line 5): make',
    },
  ],
});
const page = (lines: string[], cursor: string | null, buildId: string | null = 'b:1') => ({
  buildId,
  lines,
  cursor,
  link: 'file:///ferry/builds/1.log',
});

describe('CLI: build logs', () => {
  it('streams the build log while waiting: each line once, in order, then the outcome', async () => {
    const { code, out, sent } = await ferry(
      [
        'deploy',
        'orders',
        '--source',
        'https://git.example.com/team/orders.git',
        '--wait',
        '--logs',
      ],
      {
        deployments: [building, building, failed],
        logs: [
          page([], null, null), // the build has not started
          page(['STEP 1/2: FROM base', 'STEP 2/2: RUN make'], '2'),
          page([], '2'),
          page(['make: *** [all] Error 3'], '3'),
          page([], '3'),
        ],
      },
    );

    expect(code).toBe(1);
    const logLines = out.split('\n').filter((l) => l.startsWith('build | '));
    expect(logLines).toEqual([
      'build | STEP 1/2: FROM base',
      'build | STEP 2/2: RUN make',
      'build | make: *** [all] Error 3',
    ]);
    // Plain progress lines, not a block redrawn over the log.
    expect(out).not.toContain('\x1b[2K');
    // The build's last lines come before the news that it failed.
    expect(out).toMatch(
      /build \| make: \*\*\* \[all\] Error 3\nfailed Build \([^)]*\): RUN exit 3 \(Dockerfile line 5\): make\n/,
    );
    const cursors = sent
      .filter((u) => u.pathname.endsWith('/build-log'))
      .map((u) => u.searchParams.get('cursor'));
    expect(cursors).toEqual([null, null, '2', '2', '3']);
  });

  it("prints a deployment's last build log lines with status --logs", async () => {
    const { code, out, sent } = await ferry(['status', ID, '--logs'], {
      deployments: [failed],
      logs: [page(['STEP 2/2: RUN make', 'make: *** [all] Error 3'], '2')],
    });

    expect(code).toBe(0);
    expect(out).toContain(
      '  build log (file:///ferry/builds/1.log)\n    STEP 2/2: RUN make\n    make: *** [all] Error 3\n',
    );
    expect(sent.at(-1)?.searchParams.get('tail')).toBe('50');
  });

  it('says an image deployment had no build, without asking for a log', async () => {
    const { out, sent } = await ferry(['status', ID, '--logs'], {
      deployments: [aDeployment({ id: ID, status: 'SUCCEEDED' })],
      logs: [],
    });

    expect(out).toContain('  build log: none (an image was deployed)');
    expect(sent.some((u) => u.pathname.endsWith('/build-log'))).toBe(false);
  });

  it('refuses --logs on a deploy that does not wait, before sending anything', async () => {
    const { code, sent } = await ferry(
      ['deploy', 'orders', '--source', 'https://git.example.com/team/orders.git', '--logs'],
      { deployments: [], logs: [] },
    );

    expect(code).toBe(2);
    expect(sent).toEqual([]);
  });
});

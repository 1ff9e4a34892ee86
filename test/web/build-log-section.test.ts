/** A failed build's log on its deployment page: its last lines, escaped, and where the rest is. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../../services/core/deployment.ts';
import { type ApiWorld, createApiWorld } from '../api/api-world.ts';
import { deploymentFixture } from './fixtures.ts';

let world: ApiWorld;
const BUILD = 'ferry-build-x86_64:3f1c2b7e-0c55-4d8e-9a61-6f2d1e0b9c44';
const source = { source: { url: 'https://git.example.com/team/orders.git' } };

/** A FAILED source deployment of `orders` whose Build step failed. */
function failedBuild(n: number, over: Partial<Deployment> = {}): Deployment {
  const base = deploymentFixture('orders', n);
  return {
    ...base,
    status: 'FAILED',
    request: source,
    reason: 'build failed: RUN exit 3 (Dockerfile line 5): make — last lines: Error 3',
    steps: [
      {
        name: 'Build',
        startedAt: base.createdAt,
        endedAt: base.createdAt,
        outcome: 'failed',
        attempts: 1,
        detail: 'RUN exit 3 (Dockerfile line 5): make',
      },
    ],
    buildId: BUILD,
    buildLogsUrl: 'file:///srv/ferry/builds/3f1c.log',
    ...over,
  };
}

let failed: Deployment;
let succeeded: Deployment;
let gone: Deployment;
beforeAll(async () => {
  world = await createApiWorld();
  failed = failedBuild(11);
  gone = failedBuild(12, { buildId: 'ferry-build-x86_64:gone' });
  succeeded = { ...deploymentFixture('orders', 13), request: source, buildId: BUILD };
  for (const d of [failed, gone, succeeded]) await world.store.create(d);
  world.buildLogs.start(BUILD, 'file:///srv/ferry/builds/3f1c.log');
  world.buildLogs.write(BUILD, [
    'STEP 5/7: RUN make',
    '  cc -c widget.c',
    '\u001b[31mwidget.c:12: error: <script>alert(1)</script>\u001b[0m',
    'Error: building at STEP "RUN make": exit status 3',
  ]);
});
afterAll(async () => {
  await world?.close();
});

const page = async (id: string) => {
  const res = await world.app.request(`/deployments/${id}`, {
    headers: { authorization: `Bearer ${world.token.payments}` },
  });
  return { status: res.status, body: await res.text() };
};

describe('Web page: a failed build', () => {
  it('shows the build log’s last lines, escaped, without terminal escapes, and the log file', async () => {
    const { status, body } = await page(failed.id);

    expect(status).toBe(200);
    const section = body.split('<section id="build-log">')[1]?.split('</section>')[0] ?? '';
    expect(section).toContain('<h2>Build log</h2>');
    expect(section).toContain('  cc -c widget.c');
    expect(section).toContain('widget.c:12: error: &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(section).not.toContain('\u001b');
    expect(section).toContain('<code>/srv/ferry/builds/3f1c.log</code>');
    expect(body).not.toContain('<script>');
  });

  it('says so when the log is gone, and shows no section for a build that succeeded', async () => {
    expect((await page(gone.id)).body).toContain('The build log could not be read (it is gone).');
    expect((await page(succeeded.id)).body).not.toContain('id="build-log"');
  });
});

/** The web pages over the real store (dynalite): what each shows, to whom, and nothing injected. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleOf } from '../../services/core/cold-start.ts';
import type { Deployment } from '../../services/core/deployment.ts';
import { parseFunctionSettings } from '../../services/core/settings.ts';
import { type ApiWorld, createApiWorld } from '../api/api-world.ts';
import { deploymentFixture } from './fixtures.ts';

let world: ApiWorld;
const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';
let good: Deployment;
let bad: Deployment;
let running: Deployment;
let gated: Deployment;
let restored: Deployment;

beforeAll(async () => {
  world = await createApiWorld();
  await world.store.putSettings('search-api', parseFunctionSettings({ team: 'search' }));
  good = deploymentFixture('orders', 1);
  bad = deploymentFixture('orders', 2, {
    status: 'ROLLED_BACK',
    reason: `smoke invoke failed: ${HOSTILE}`,
    trigger: { kind: 'api', actor: `arn:aws:iam::1:user/${HOSTILE}` },
    buildLogsUrl: 'javascript:alert(3)',
    smoke: {
      passed: false,
      reason: HOSTILE,
      statusCode: 200,
      functionError: 'Unhandled',
      responseExcerpt: HOSTILE,
      initDurationMs: null,
      durationMs: 12,
      maxMemoryUsedMb: null,
    },
  });
  const third = deploymentFixture('orders', 3, {
    scan: {
      ...(good.scan as NonNullable<Deployment['scan']>),
      largestLayers: [
        { digest: `sha256:${'d'.repeat(64)}`, sizeBytes: 5, createdBy: `RUN echo '${HOSTILE}'` },
      ],
      hints: ['use a -slim base image', HOSTILE],
    } as Deployment['scan'],
    // Figures a newer worker may add (a cold-start gate): shown without a page change.
    smoke: {
      ...(good.smoke as NonNullable<Deployment['smoke']>),
      liveInitDurationMs: 80,
      coldStartGate: { verdict: 'pass', maxInitGrowthRatio: 1.5, note: HOSTILE },
    } as Deployment['smoke'],
  });
  running = deploymentFixture('search-api', 4, {
    status: 'RUNNING',
    team: 'search',
    endedAt: undefined,
    smoke: undefined,
    scan: undefined,
  });
  // A working version whose cold start grew too much: REJECTED by the init-growth gate.
  const fixture = deploymentFixture('search-api', 0, { team: 'search' });
  gated = {
    ...fixture,
    status: 'REJECTED',
    reason: 'cold start grew: init duration 900.0 ms vs 100.0 ms live (9.00×)',
    scan: {
      ...(fixture.scan as NonNullable<Deployment['scan']>),
      baseImage: 'public.ecr.aws/lambda/nodejs:22',
      gates: [
        {
          gate: 'size-growth',
          outcome: 'passed',
          unit: 'bytes',
          value: 10 * 1024 ** 2,
          live: 8 * 1024 ** 2,
          ratio: 1.25,
          delta: 2 * 1024 ** 2,
          maxRatio: 1.5,
          minDelta: null,
          summary: '10.0 MiB vs 8.0 MiB live',
        },
      ],
    },
    smoke: {
      ...(fixture.smoke as NonNullable<Deployment['smoke']>),
      verdict: 'reject',
      version: '7',
      reason: 'init duration grew 9.00×',
      gates: [
        {
          gate: 'init-growth',
          outcome: 'failed',
          unit: 'ms',
          value: 900,
          live: 100,
          ratio: 9,
          delta: 800,
          maxRatio: 1.5,
          minDelta: 50,
          summary: `900.0 ms vs 100.0 ms live ${HOSTILE}`,
        },
      ],
    },
  };
  // A rollback to a release that starts slower than the one it replaced: reported, not held.
  const restoredFixture = deploymentFixture('search-api', 3, { team: 'search' });
  const coldStarts = sampleOf([900, 880, 910, 925, 890]);
  restored = {
    ...restoredFixture,
    trigger: { kind: 'rollback', actor: 'arn:aws:iam::1:role/ci' },
    smoke: {
      ...(restoredFixture.smoke as NonNullable<Deployment['smoke']>),
      version: '3',
      initDurationMs: 900,
      coldStarts,
      gates: [
        {
          gate: 'init-growth',
          outcome: 'failed',
          blocks: false,
          unit: 'ms',
          value: 900,
          live: 200,
          ratio: 4.5,
          delta: 700,
          maxRatio: 1.5,
          minDelta: 100,
          sample: coldStarts,
          baseline: 'recorded',
          summary:
            'median Init Duration 900.0 ms (IQR 890.0–910.0, n=5) vs live 200.0 ms (n=1, recorded): 4.50×, +700.0 ms, limit 1.5× beyond a 100 ms noise floor: cold start grew, beyond the spreads too; reported only: a rollback restores an earlier release and is not held to growth gates',
        },
      ],
    },
  };
  for (const d of [good, bad, third, running, gated, restored]) await world.store.create(d);
});
afterAll(async () => {
  await world?.close();
});

const page = async (as: 'payments' | 'search' | 'platform', path: string) => {
  const res = await world.app.request(path, {
    headers: { authorization: `Bearer ${world.token[as]}` },
  });
  return { status: res.status, body: await res.text() };
};

describe('Web page: functions', () => {
  it('lists only the caller team’s functions, with the live release (newest SUCCEEDED)', async () => {
    const { status, body } = await page('payments', '/');
    expect(status).toBe(200);
    expect(body).toContain('href="/functions/orders"');
    expect(body).not.toContain('search-api');
    // Deployment 3 succeeded last: its digest is live, not the rolled-back one's.
    expect(body).toContain('sha256:030303030303');
    expect(body).toContain('live → v3');
  });

  it('lists every function for the admin team', async () => {
    const { body } = await page('platform', '/');
    expect(body).toContain('href="/functions/orders"');
    expect(body).toContain('href="/functions/search-api"');
  });

  it('reloads itself (no JavaScript) while a listed deployment is in flight', async () => {
    expect((await page('search', '/')).body).toContain('<meta http-equiv="refresh" content="2"/>');
    expect((await page('payments', '/')).body).not.toContain('http-equiv="refresh"');
  });
});

describe('Web page: a function', () => {
  it('shows the release history with status, trigger, who, digest, size, init duration and duration', async () => {
    const { status, body } = await page('payments', '/functions/orders');
    expect(status).toBe(200);
    const rows = body.split('<tbody>')[1]?.split('<tr>').slice(1) ?? [];
    expect(rows).toHaveLength(3);
    // Newest first: the third release, then the rolled-back one, then the first.
    expect(rows[1]).toContain('ROLLED_BACK');
    expect(rows[1]).toContain('not reported'); // its runtime gave no Init Duration
    expect(rows[2]).toContain('SUCCEEDED');
    expect(rows[2]).toContain('cli');
    expect(rows[2]).toContain('token:payments:0123456789ab');
    expect(rows[2]).toContain('sha256:010101010101');
    expect(rows[2]).toContain('11.0 MiB');
    expect(rows[2]).toContain('101 ms');
    expect(rows[2]).toContain(`href="/deployments/${good.id}"`);
    // The settings say which gates guard the next release: the cold-start gate is on by default.
    expect(body).toContain(
      '<dd id="cold-start-gate">median Init Duration of 5 cold starts ×1.5 vs live, beyond 100 ms</dd>',
    );
  });

  it('draws size and init-duration trends as SVG, skipping releases that reported no figure', async () => {
    const { body } = await page('payments', '/functions/orders');
    const chart = (id: string) =>
      body.slice(body.indexOf(`id="${id}"`), body.indexOf('</svg>', body.indexOf(`id="${id}"`)));
    const size = chart('chart-size');
    const init = chart('chart-init');
    expect(size).toContain(
      '<title id="chart-size-title">Compressed image size per release</title>',
    );
    expect(size.match(/<circle /g)).toHaveLength(3);
    expect(init.match(/<circle /g)).toHaveLength(2);
    expect(init).toContain('2 of 3 releases reported it');
    expect(size).toContain('<polyline');
  });

  it('answers 403 for another team’s function and shows none of its history', async () => {
    const { status, body } = await page('search', '/functions/orders');
    expect(status).toBe(403);
    expect(body).toContain('belongs to team payments');
    expect(body).not.toContain('sha256:01');
  });

  it('answers 404 for a function that is not registered', async () => {
    expect((await page('platform', '/functions/ghost')).status).toBe(404);
    expect((await page('platform', '/functions/..%2F..')).status).toBe(404);
  });
});

describe('Web page: a deployment', () => {
  it('shows the reason, steps, scan with the Dockerfile line behind each large layer, and smoke figures', async () => {
    const { status, body } = await page('payments', `/deployments/${good.id}`);
    expect(status).toBe(200);
    expect(body.indexOf('<strong>Prepare</strong>')).toBeLessThan(
      body.indexOf('<strong>SmokeInvoke</strong>'),
    );
    expect(body).toContain('(2 attempts)');
    expect(body).toContain('<code>RUN apt-get install -y build-essential</code>');
    expect(body).toContain('8.0 MiB');
    expect(body).toContain('unknown (manifest-only scan)');
    expect(body).toContain('101 ms');
    expect(body).not.toContain('http-equiv="refresh"');
  });

  it('escapes hostile text from reasons, actors, responses and history lines, and links no javascript: URL', async () => {
    for (const path of [`/deployments/${bad.id}`, '/functions/orders']) {
      const { body } = await page('payments', path);
      expect(body).not.toContain('<script>');
      expect(body).not.toContain('<img src=x');
      expect(body).not.toContain('javascript:');
    }
    const { body } = await page('payments', `/deployments/${bad.id}`);
    expect(body).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;',
    );
    expect(body).toContain('<strong>Reason:</strong> smoke invoke failed: &lt;script&gt;');
  });

  it('renders scan hints and figures it has no name for yet, escaped', async () => {
    const third = (await world.store.listByFunction('orders')).items[0] as Deployment;
    const { body } = await page('payments', `/deployments/${third.id}`);
    expect(body).toContain('<li>use a -slim base image</li>');
    expect(body).toContain('<code>RUN echo &#39;&lt;script&gt;');
    expect(body).toContain('<dt>live init duration ms</dt><dd>80</dd>');
    expect(body).toContain('<dt>cold start gate: max init growth ratio</dt><dd>1.5</dd>');
    expect(body).toContain('<dt>cold start gate: note</dt><dd>&lt;script&gt;');
    expect(body).not.toContain('<script>');
    // Fields shown by name are not repeated as extra facts.
    expect(body).not.toContain('<dt>init duration ms</dt>');
  });

  it('shows the cold starts’ median and spread, and a rollback’s growth as reported, not blocking', async () => {
    const { body } = await page('search', `/deployments/${restored.id}`);
    expect(body).toContain(
      '<dt>Init duration</dt><dd>900 ms (median of 5 cold starts, IQR 890 ms–910 ms)</dd>',
    );
    expect(body).toContain('<td>init-growth</td><td>failed</td>');
    expect(body).toContain('reported only: a rollback restores an earlier release');
    // The samples are shown by name, not again as extra facts.
    expect(body).not.toContain('<dt>cold starts');
  });

  it('puts the gates’ figures side by side, failed first, for a release a gate rejected', async () => {
    const { body } = await page('search', `/deployments/${gated.id}`);
    const table = body.slice(
      body.indexOf('<table id="gates">'),
      body.indexOf('</table>', body.indexOf('<table id="gates">')),
    );
    const rows = table.split('<tr>').slice(2);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('<td>init-growth</td><td class="error">failed</td>');
    expect(rows[0]).toContain(
      '<td class="num">900 ms</td><td class="num">100 ms</td><td class="num">×9.00</td><td class="num">800 ms</td><td class="num">×1.5</td><td class="num">50 ms</td>',
    );
    expect(rows[0]).toContain('&lt;script&gt;');
    expect(rows[1]).toContain('<td>size-growth</td><td>passed</td>');
    expect(rows[1]).toContain(
      '<td class="num">10.0 MiB</td><td class="num">8.0 MiB</td><td class="num">×1.25</td>',
    );
    expect(body).toContain('works, but rejected by a gate: init duration grew 9.00×');
    expect(body).toContain('<dt>Version invoked</dt><dd>7</dd>');
    expect(body).toContain('<code>public.ecr.aws/lambda/nodejs:22</code>');
    expect(body).not.toContain('<script>');
    // Gate figures are shown by name, not again as extra facts.
    expect(body).not.toContain('<dt>gates');
  });

  it('reloads itself while the deployment is in flight and says so', async () => {
    const { status, body } = await page('search', `/deployments/${running.id}`);
    expect(status).toBe(200);
    expect(body).toContain('<meta http-equiv="refresh" content="2"/>');
    expect(body).toContain('In flight');
    expect(body).toContain('Not scanned.');
  });

  it('answers 403 to another team and 404 for an unknown or malformed id', async () => {
    const denied = await page('payments', `/deployments/${running.id}`);
    expect(denied.status).toBe(403);
    expect(denied.body).not.toContain('registry.example');
    expect((await page('platform', `/deployments/d-${'0'.repeat(26)}`)).status).toBe(404);
    expect((await page('platform', '/deployments/%3Cscript%3E')).status).toBe(404);
  });
});

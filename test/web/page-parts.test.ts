/**
 * Page parts rendered on their own: the trend chart's responsive SVG, and a release whose image
 * `ferry gc` collected (a record field read tolerantly, so it renders before stores carry it).
 */
import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../services/core/deployment.ts';
import { parseFunctionSettings } from '../../services/core/settings.ts';
import { FunctionPage } from '../../services/web/pages/function-page.tsx';
import { TrendChart } from '../../services/web/trend-chart.tsx';
import { deploymentFixture } from './fixtures.ts';

const caller = { principal: 'token:payments:0123', team: 'payments', admin: false };

describe('TrendChart', () => {
  it('scales with the page: a viewBox, 100% wide, no fixed pixel size', async () => {
    const html = String(
      await TrendChart({
        id: 'c',
        title: 'size',
        yLabel: 'bytes',
        points: [
          { label: '#1', value: 1, note: 'a' },
          { label: '#2', value: 2, note: 'b' },
        ],
        format: String,
      }),
    );
    const svg = /<svg[^>]*>/.exec(html)?.[0] ?? '';
    expect(svg).toMatch(/viewBox="0 0 \d+ \d+"/);
    expect(svg).toContain('width="100%"');
    expect(svg).not.toMatch(/height="\d+"/);
    expect(svg).toContain('preserveAspectRatio="xMidYMid meet"');
  });
});

describe('FunctionPage: a release whose image was collected', () => {
  const render = async (items: Deployment[]) =>
    String(
      await FunctionPage({
        caller,
        canSignOut: true,
        name: 'orders',
        settings: parseFunctionSettings({ team: 'payments' }),
        items,
        live: null,
        rollback: null,
        formToken: 'form-token',
      }),
    );

  it('says the image is gone and offers no rollback to it', async () => {
    const kept = deploymentFixture('orders', 1);
    const collected = {
      ...deploymentFixture('orders', 2),
      imageCollectedAt: '2026-11-30T08:00:00.000Z',
    } as Deployment;
    const html = await render([collected, kept]);
    const rows = html.split('<tbody>')[1]?.split('<tr>').slice(1) ?? [];
    expect(rows[0]).toContain('image collected 2026-11-30 08:00:00 UTC');
    expect(rows[0]).not.toContain('Roll back to this release');
    expect(rows[1]).not.toContain('image collected');
    expect(rows[1]).toContain('Roll back to this release');
  });

  it('ignores a field that is not a time', async () => {
    const odd = {
      ...deploymentFixture('orders', 2),
      imageCollectedAt: 42,
    } as unknown as Deployment;
    expect(await render([odd])).not.toContain('image collected');
  });
});

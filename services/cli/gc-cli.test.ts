/** `ferry gc` and what history/status say of collected releases, against the real API app. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, createApiWorld } from '../../test/api/api-world.ts';
import { hexOf, image, releaseOf, uriOf, version } from '../../test/support/gc-fixtures.ts';
import { releaseTag } from '../core/workflow.ts';
import { runCli } from './main.ts';

let w: ApiWorld;
const idOf = (n: number) => `d-01JDQ4Z9X8M2N3P4Q5R6S7T8V${n}`;

beforeAll(async () => {
  w = await createApiWorld();
  for (let n = 1; n <= 4; n++) {
    const at = `2026-05-0${n}T00:00:00.000Z`;
    await w.store.create(
      releaseOf(idOf(n), n, String(n), { createdAt: at, updatedAt: at, team: 'payments' }),
    );
    w.gc.images.add(image(n, [releaseTag(idOf(n))]));
  }
  w.gc.functions.set('orders', {
    latest: { resolvedImageUri: uriOf(4), codeSha256: hexOf(4) },
    versions: [2, 3, 4].map((n) => version(n, n)),
    aliases: [{ name: 'live', routing: { version: '4', additional: null } }],
    provisionedQualifiers: [],
  });
});
afterAll(() => w.close());

async function ferry(argv: string[], team: 'payments' | 'platform' = 'platform') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    stdout: { write: (t) => void out.push(t), isTTY: false },
    stderr: { write: (t) => void err.push(t) },
    env: { FERRY_URL: 'http://127.0.0.1:8787', FERRY_TOKEN: w.token[team] },
    fetch: ((url: URL, init: RequestInit) =>
      w.app.request(url.href, init)) as typeof globalThis.fetch,
  });
  return { code, out: out.join(''), err: err.join('') };
}

describe('ferry gc', () => {
  it('lists what would go with --dry-run, and removes nothing', async () => {
    const { code, out } = await ferry(['gc', '--dry-run']);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    // Depth 3 keeps images 2..4 and their versions: only image 1, which no version runs, goes.
    expect(lines[0]).toBe('would remove 1 image (0.1 KiB) and 0 versions');
    expect(lines[1]).toContain(`team/app@sha256:${hexOf(1)}`);
    expect(lines.at(-1)).toMatch(/^kept 3 images and 3 versions \(.*recent-release 6.*\)/);
    expect(w.gc.images.deleted).toEqual([]);
    const json = await ferry(['gc', '--dry-run', '--json']);
    expect(JSON.parse(json.out)).toMatchObject({
      dryRun: true,
      images: [{ digest: expect.any(String) }],
    });
  });

  it('removes, then history and status say the image was collected', async () => {
    const { code, out } = await ferry(['gc']);
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toBe('removed 1 image (0.1 KiB) and 0 versions');
    const history = await ferry(['history', 'orders'], 'payments');
    expect(history.out).toMatch(new RegExp(`${idOf(1)} .*image collected \\d{4}-\\d\\d-\\d\\d`));
    const status = await ferry(['status', idOf(1)], 'payments');
    expect(status.out).toMatch(/ {2}gc {12}image collected /);
  });

  it('refuses a rollback to the collected release with one ferry: line', async () => {
    const { code, err } = await ferry(['rollback', 'orders', '--to', idOf(1)], 'payments');
    expect(code).toBe(1);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/^ferry: .*was removed by ferry gc at /);
  });

  it('answers a team that is not the admin team with one ferry: line', async () => {
    const { code, err } = await ferry(['gc', '--dry-run'], 'payments');
    expect(code).toBe(1);
    expect(err).toMatch(/^ferry: .*ferry gc is for the admin team/);
  });
});

/**
 * `npm run bench` (releases): in one run on this machine, with local mode's real parts —
 * - from a failing step's verdict to the alias back on the old version alone (one alias update),
 *   a canary of an image that fails every second call, while a load generator invokes the alias;
 * - an all-at-once image deployment now vs the same deployment by Ferry as it was before gradual
 *   releases (BASELINE_REV, started from a git worktree of that commit), alternating rounds.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { hostFetch } from '../local/function-host/signed-fetch.ts';
import { type LocalFerry, startLocalFerry } from '../local/start.ts';
import { silentLogger } from '../services/core/logger.ts';
import { buildLambdaImages } from '../test/support/lambda-images.ts';
import { median } from './median.ts';

const run = promisify(execFile);
const TOKEN = 'ferry_bench_admin_token_0123456789';
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** The last commit before gradual releases: what "today's all-at-once" is measured against. */
export const BASELINE_REV = '2aff585';
const ROLLBACK_RUNS = 3;
const DEPLOY_ROUNDS = 5;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** A baseline Ferry from before local mode's logins has no host key and no registry auth file. */
type Started = Pick<LocalFerry, 'apiUrl' | 'registryHost' | 'functionHostUrl' | 'close'> &
  Partial<Pick<LocalFerry, 'functionHostCredentials' | 'registryAuthFile'>>;

async function call(ferry: Started, method: string, path: string, body?: unknown) {
  const res = await fetch(`${ferry.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return (await res.json()) as Record<string, unknown>;
}

async function untilEnded(ferry: Started, id: string) {
  for (;;) {
    const d = await call(ferry, 'GET', `/v1/deployments/${id}`);
    if (!['PENDING', 'RUNNING'].includes(String(d.status))) return d;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Creates `fn` on `image` and registers it with `settings`. */
async function register(ferry: Started, fn: string, image: string, settings: object) {
  await call(ferry, 'POST', '/v1/local/functions', { name: fn, image });
  await call(ferry, 'PUT', `/v1/functions/${fn}`, { team: 'platform', ...settings });
}

/** Invokes the alias in a loop until stopped. */
function load(ferry: Started, fn: string) {
  let running = true;
  const loop = async () => {
    while (running) {
      const res = await hostFetch(ferry.functionHostCredentials)(
        `${ferry.functionHostUrl}/2015-03-31/functions/${fn}:live/invocations`,
        { method: 'POST', body: '{}' },
      ).catch(() => null);
      await res?.arrayBuffer();
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const loops = [loop(), loop()];
  return async () => {
    running = false;
    await Promise.all(loops);
  };
}

/** Verdict → alias restored, for canaries of a failing image: ms per run. */
async function verdictToRestore(ferry: LocalFerry): Promise<number[]> {
  const images = await buildLambdaImages(
    ferry.registryHost,
    ['good', 'flaky'],
    'bench/canary',
    ferry.registryAuthFile,
  );
  await register(ferry, 'canary', images.good, {});
  await untilEnded(
    ferry,
    String(
      (await call(ferry, 'POST', '/v1/deployments', { function: 'canary', image: images.good })).id,
    ),
  );
  await call(ferry, 'PUT', '/v1/functions/canary', {
    team: 'platform',
    release: { strategy: 'canary', percent: 25, intervalSeconds: 3 },
  });
  const stop = load(ferry, 'canary');
  const figures: number[] = [];
  try {
    for (let i = 0; i < ROLLBACK_RUNS; i++) {
      const { id } = await call(ferry, 'POST', '/v1/deployments', {
        function: 'canary',
        image: images.flaky,
      });
      let restoredAt = 0;
      let split = false;
      // Poll the alias itself: the moment the split is gone is when traffic is restored.
      for (let polls = 0; polls < 60_000; polls++) {
        const routing = await ferry.functions.getAliasRouting('canary', 'live');
        if (routing?.additional) split = true;
        else if (split) {
          restoredAt = Date.now();
          break;
        }
        if (!split && polls % 50 === 0) {
          const status = String((await call(ferry, 'GET', `/v1/deployments/${id}`)).status);
          if (!['PENDING', 'RUNNING'].includes(status)) break;
        }
        await new Promise((r) => setTimeout(r, 2));
      }
      const d = (await untilEnded(ferry, String(id))) as {
        status: string;
        steps: Array<{ name: string; endedAt?: string }>;
      };
      const judged = d.steps.find((s) => s.name === 'JudgeStep')?.endedAt;
      if (d.status === 'ROLLED_BACK' && judged && restoredAt > 0) {
        figures.push(restoredAt - Date.parse(judged));
      } else {
        console.error(
          `bench canary ${id} ended ${d.status} without a judged rollback: ${JSON.stringify(d.steps.map((s) => s.name))}`,
        );
      }
    }
  } finally {
    await stop();
  }
  return figures;
}

/** One all-at-once image deployment, POST → SUCCEEDED, in ms. */
async function allAtOnce(ferry: Started, fn: string, image: string): Promise<number> {
  const start = process.hrtime.bigint();
  const { id } = await call(ferry, 'POST', '/v1/deployments', { function: fn, image });
  const d = await untilEnded(ferry, String(id));
  if (d.status !== 'SUCCEEDED') throw new Error(`bench deploy ended ${d.status}: ${d.reason}`);
  return ms(start);
}

/** The baseline commit, checked out beside this one, sharing its node_modules. */
async function baselineCheckout(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-baseline-'));
  await run('git', ['-C', ROOT, 'worktree', 'add', '--detach', dir, BASELINE_REV]);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return {
    dir,
    async remove() {
      await run('git', ['-C', ROOT, 'worktree', 'remove', '--force', dir]);
    },
  };
}

/** Runs the release benchmarks and returns printable lines. */
export async function benchReleases(): Promise<string[]> {
  const lines: string[] = [];
  const homes = [
    mkdtempSync(join(tmpdir(), 'ferry-bench-rel-')),
    mkdtempSync(join(tmpdir(), 'ferry-bench-old-')),
  ];
  const ferry = await startLocalFerry({
    home: homes[0] as string,
    port: 0,
    adminToken: TOKEN,
    logger: silentLogger,
  });
  const baseline = await baselineCheckout();
  let old: Started | undefined;
  try {
    const restores = await verdictToRestore(ferry);
    // A redeploy of the same flaky digest reuses its version, whose warm instances may fail the
    // smoke itself (their second call): such a run never reaches the judge and is not counted.
    lines.push(
      `canary rolled back at its step: verdict → alias on the old version alone ${median(restores).toFixed(0)} ms (median of ${restores.length} of ${ROLLBACK_RUNS} runs that reached the judge; ${restores.map((r) => r.toFixed(0)).join(', ')} ms) — target ≤ 1 s (one alias update)`,
    );

    const oldStart = (await import(join(baseline.dir, 'local', 'start.ts'))) as {
      startLocalFerry: typeof startLocalFerry;
    };
    old = await oldStart.startLocalFerry({
      home: homes[1] as string,
      port: 0,
      adminToken: TOKEN,
      logger: silentLogger,
    });
    const sides = [
      {
        ferry: ferry as Started,
        images: await buildLambdaImages(
          ferry.registryHost,
          ['good', 'twin'],
          'bench/once',
          ferry.registryAuthFile,
        ),
        times: [] as number[],
      },
      {
        ferry: old,
        images: await buildLambdaImages(old.registryHost, ['good', 'twin'], 'bench/once'),
        times: [] as number[],
      },
    ];
    for (const side of sides) {
      await register(side.ferry, 'once', side.images.good, {});
      await allAtOnce(side.ferry, 'once', side.images.good);
    }
    for (let round = 0; round < DEPLOY_ROUNDS; round++) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
        const image = round % 2 === 0 ? side.images.twin : side.images.good;
        side.times.push(await allAtOnce(side.ferry, 'once', image));
      }
    }
    const [now, before] = sides.map((s) => median(s.times)) as [number, number];
    lines.push(
      `all-at-once image deployment POST → SUCCEEDED ${(now / 1000).toFixed(2)} s vs ${(before / 1000).toFixed(2)} s before gradual releases (${BASELINE_REV}) = ${(now / before).toFixed(2)}× (medians of ${DEPLOY_ROUNDS} alternating rounds) — target ≤ 1.05×`,
    );
  } finally {
    await old?.close();
    await ferry.close();
    await baseline.remove();
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  }
  return lines;
}

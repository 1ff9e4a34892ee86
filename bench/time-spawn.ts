import { spawnSync } from 'node:child_process';
import { median } from './median.ts';

/** The median wall time in ms of `runs` runs of `node ...args` (each must exit 0). */
export function timeSpawn(args: string[], env: NodeJS.ProcessEnv, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { env, stdio: 'pipe' });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

/**
 * Median wall times in ms of each of `variants` (node arguments), run in turn `runs` times, so
 * that load from elsewhere on the machine falls on all of them alike.
 */
export function timeInterleaved<K extends string>(
  variants: Record<K, string[]>,
  env: NodeJS.ProcessEnv,
  runs: number,
): Record<K, number> {
  const times = Object.fromEntries(Object.keys(variants).map((k) => [k, [] as number[]])) as Record<
    K,
    number[]
  >;
  for (let i = 0; i < runs; i++)
    for (const key of Object.keys(variants) as K[])
      times[key].push(timeSpawn(variants[key], env, 1));
  return Object.fromEntries(
    Object.entries<number[]>(times).map(([k, v]) => [k, median(v)]),
  ) as Record<K, number>;
}

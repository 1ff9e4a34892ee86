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

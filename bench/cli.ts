/**
 * `npm run bench` (CLI part): how long `ferry --help` takes through the bin (the bundle `npm run
 * build:cli` writes) against bare node, and from source through tsx — measured in the same run.
 */
import { fileURLToPath } from 'node:url';
import { buildCliBundle } from '../scripts/cli-bundle.ts';
import { timeInterleaved, timeSpawn } from './time-spawn.ts';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/** Runs the CLI start-up benchmark and returns printable lines. */
export async function benchCli(): Promise<string[]> {
  await buildCliBundle(); // the bundle of the code being measured, not an older build
  const env = {
    PATH: process.env.PATH ?? '',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const runs = 21;
  const bin = [path('../bin/ferry.js'), '--help'];
  const fromSource = ['--import', 'tsx', path('../bin/ferry.ts'), '--help'];
  timeSpawn(bin, env, 3); // warm the page cache
  const { bare, help } = timeInterleaved({ bare: ['-e', '0'], help: bin }, env, runs);
  const tsx = timeSpawn(fromSource, env, 5);
  return [
    `ferry --help: ${help.toFixed(0)} ms vs bare node ${bare.toFixed(0)} ms (medians of ${runs} interleaved) = ${(help / bare).toFixed(2)}× — target ≤ 1.5×; from source through tsx: ${tsx.toFixed(0)} ms = ${(tsx / bare).toFixed(2)}×`,
  ];
}

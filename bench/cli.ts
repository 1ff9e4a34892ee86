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
  // As it is run here, and with nothing but PATH: Node's own start-up varies with the
  // environment (NODE_EXTRA_CA_CERTS, for one, makes every `node` read a bundle of certificates).
  const asRun = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const bareEnv = { PATH: process.env.PATH ?? '' };
  const runs = 21;
  const bin = [path('../bin/ferry.js'), '--help'];
  const fromSource = ['--import', 'tsx', path('../bin/ferry.ts'), '--help'];
  timeSpawn(bin, asRun, 3); // warm the page cache
  const run = timeInterleaved({ bare: ['-e', '0'], help: bin }, asRun, runs);
  const clean = timeInterleaved({ bare: ['-e', '0'], help: bin }, bareEnv, runs);
  const tsx = timeSpawn(fromSource, asRun, 5);
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  return [
    `ferry --help: ${run.help.toFixed(0)} ms vs bare node ${run.bare.toFixed(0)} ms (medians of ${runs} interleaved) = ${ratio(run.help, run.bare)} — target ≤ 1.5×; with only PATH set: ${clean.help.toFixed(0)} ms vs ${clean.bare.toFixed(0)} ms = ${ratio(clean.help, clean.bare)}; from source through tsx: ${tsx.toFixed(0)} ms = ${ratio(tsx, run.bare)}`,
  ];
}

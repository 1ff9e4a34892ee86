/**
 * `npm run demo`: on the local Ferry running on FERRY_HOME, or on one of its own (demo-ferry.ts),
 * creates a function from the hello example, then deploys three releases from source through the
 * CLI — the good one (SUCCEEDED), a broken one (ROLLED_BACK, alias untouched) and an oversized one
 * (REJECTED) — then, while a load generator invokes the alias, two canaries of 25% for 5 s: hello
 * v3 (SUCCEEDED) and the flaky example (ROLLED_BACK at its step, with the judge's figures). Prints
 * the history and invokes the live alias to show it still answers with the good release.
 */
import './polyfills.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../services/cli/main.ts';
import { type DemoFerry, demoFerry } from './demo-ferry.ts';
import { hostFetch } from './function-host/signed-fetch.ts';
import { loadAlias } from './load-alias.ts';
import { checkLocalTools } from './preflight.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const say = (line = '') => process.stdout.write(`${line}\n`);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** An example's directory: shown relative to the repository, passed absolute (any cwd works). */
const example = (name: string) => ({
  shown: `examples/${name}`,
  path: join(ROOT, 'examples', name),
});
const SETTINGS = join(example('hello').path, 'ferry.json');

/** The demo's steps on `ferry`; returns the exit code (0 when every outcome was the expected one). */
async function demoSteps(ferry: DemoFerry, fn: string): Promise<number> {
  const io = {
    stdout: {
      write: (t: string) => void process.stdout.write(t),
      isTTY: Boolean(process.stdout.isTTY),
    },
    stderr: { write: (t: string) => void process.stderr.write(t) },
    env: { FERRY_URL: ferry.apiUrl, FERRY_TOKEN: ferry.token, FERRY_HOME: ferry.home },
    pollMs: 250,
  };
  const cli = async (args: string[], shown = args) => {
    say(`$ ferry ${shown.join(' ')}`);
    return runCli(args, io);
  };
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${ferry.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${ferry.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const hello = example('hello');
  say(`\n1. Build hello v1 and create the function \`${fn}\` on it (version 1 behind alias live)`);
  const created = await cli(
    ['local', 'create-function', fn, '--source', hello.path],
    ['local', 'create-function', fn, '--source', hello.shown],
  );
  if (created !== 0) throw new Error(`ferry local create-function ${fn} failed`);
  const settingsCode = await cli(
    ['functions', 'put', fn, '--file', SETTINGS],
    ['functions', 'put', fn, '--file', 'examples/hello/ferry.json'],
  );
  if (settingsCode !== 0) throw new Error(`ferry functions put ${fn} failed`);

  const deploy = async (title: string, name: string, args: string[]) => {
    say(`\n${title}`);
    const source = example(name);
    const rest = [...args, '--wait'];
    await cli(
      ['deploy', fn, '--source', source.path, ...rest],
      ['deploy', fn, '--source', source.shown, ...rest],
    );
  };
  await deploy('2. Deploy hello v2 from source (expect SUCCEEDED)', 'hello', [
    '--build-arg',
    'VERSION=2',
  ]);
  await deploy(
    '3. Deploy the broken example (expect ROLLED_BACK: its smoke invoke fails, traffic never moves)',
    'broken',
    [],
  );
  await deploy(
    '4. Deploy the oversized example (expect REJECTED: 13 MiB over the 10 MiB budget)',
    'oversized',
    [],
  );
  say('\n5. Canaries while traffic flows: 25% of the alias for 5 s, judged, then all of it');
  await api('PUT', `/v1/functions/${fn}`, {
    ...JSON.parse(readFileSync(SETTINGS, 'utf8')),
    release: { strategy: 'canary', percent: 25, intervalSeconds: 5 },
  });
  const send = hostFetch(ferry.hostCredentials);
  const traffic = loadAlias(ferry.functionHostUrl, fn, send);
  try {
    await deploy('5a. Canary of hello v3 (expect SUCCEEDED)', 'hello', [
      '--build-arg',
      'VERSION=3',
    ]);
    await deploy(
      '5b. Canary of the flaky example (expect ROLLED_BACK at its first step: half its calls fail)',
      'flaky',
      [],
    );
  } finally {
    const calls = await traffic.stop();
    say(
      `\nLoad generator: ${calls.total} calls through the alias, ${calls.failed} failed (those the flaky version answered during its 25% step).`,
    );
  }
  const history = (await api('GET', `/v1/functions/${fn}/deployments`)) as {
    items: Array<{ status: string }>;
  };
  const outcomes = history.items.map((d) => d.status).reverse();

  say('\n6. History (newest first)');
  await cli(['history', fn]);
  say('\n7. Invoke the live alias: it still answers with the good release (v3)');
  await cli(['local', 'invoke', fn]);
  const expected = ['SUCCEEDED', 'ROLLED_BACK', 'REJECTED', 'SUCCEEDED', 'ROLLED_BACK'];
  const ok = expected.every((s, i) => outcomes[i] === s);
  say(
    ok
      ? '\nDemo finished: every outcome as expected.'
      : `\nDemo outcomes ${outcomes.join(', ')}; expected ${expected.join(', ')}`,
  );
  return ok ? 0 : 1;
}

/**
 * Runs the demo; returns the exit code. `home`: run a Ferry of its own there and keep it (tests
 * read it afterwards). @default - the Ferry running on `lookIn` (FERRY_HOME), else a temporary one
 */
export async function runDemo(
  home?: string,
  lookIn = process.env.FERRY_HOME ?? '.ferry',
): Promise<number> {
  await checkLocalTools({ install: process.env.FERRY_NO_INSTALL !== '1', log: say });
  const starting = demoFerry(lookIn, home);
  // Ctrl-C (or SIGTERM), even while it starts: stop and remove the demo's own Ferry, then exit.
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    say(`\nferry demo: ${signal}, stopping (a deployment under way ends first)…`);
    void starting
      .then((ferry) => ferry.close())
      .catch(() => undefined) // a start that failed removed its home itself
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  const main = isMain();
  if (main) {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  let ferry: DemoFerry;
  try {
    ferry = await starting;
  } catch (error) {
    if (main) {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
    throw error;
  }
  try {
    say(ferry.banner);
    // A running Ferry may hold a `hello` already: the demo's function is its own there.
    const fn = ferry.shared ? `demo-${Date.now().toString(36)}` : 'hello';
    return await demoSteps(ferry, fn);
  } finally {
    if (main) {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
    await ferry.close();
  }
}

/** Set by Ctrl-C: the steps still running then fail as their Ferry stops, which is no news. */
let stopping = false;

function isMain(): boolean {
  return Boolean(process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]);
}

if (isMain()) {
  try {
    process.exitCode = await runDemo();
  } catch (error) {
    if (!stopping) say(`ferry demo: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

/**
 * `npm run demo`: starts local Ferry in a fresh state directory, creates a function from the hello
 * example, then deploys three releases from source through the API and the CLI — the good one
 * (SUCCEEDED), a broken one (ROLLED_BACK, alias untouched) and an oversized one (REJECTED) —
 * then, while a load generator invokes the alias, two canaries of 25% for 5 s: hello v3
 * (SUCCEEDED) and the flaky example (ROLLED_BACK at its step, with the judge's figures). Prints the
 * history and invokes the live alias to show it still answers with the good release.
 */
import './polyfills.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../services/cli/main.ts';
import { buildOverrides } from '../services/core/build-environment.ts';
import { silentLogger } from '../services/core/logger.ts';
import { createBuildahBuilder } from './buildah-builder.ts';
import { hostFetch } from './function-host/signed-fetch.ts';
import { checkLocalTools } from './preflight.ts';
import { startLocalFerry } from './start.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const say = (line = '') => process.stdout.write(`${line}\n`);
const example = (name: string) =>
  `file://${fileURLToPath(new URL(`../examples/${name}`, import.meta.url))}`;

/** Invokes `fn`'s live alias in a loop (two callers) until stopped; counts calls and failures. */
function loadAlias(hostUrl: string, fn: string, send: ReturnType<typeof hostFetch>) {
  let running = true;
  let total = 0;
  let failed = 0;
  const caller = async () => {
    while (running) {
      const res = await send(`${hostUrl}/2015-03-31/functions/${fn}:live/invocations`, {
        method: 'POST',
        body: '{}',
      }).catch(() => null);
      if (res) {
        await res.arrayBuffer();
        total += 1;
        if (res.headers.has('x-amz-function-error')) failed += 1;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const callers = [caller(), caller()];
  return {
    async stop() {
      running = false;
      await Promise.all(callers);
      return { total, failed };
    },
  };
}

/** Runs the demo; returns the exit code (0 when every outcome was the expected one). */
export async function runDemo(home = mkdtempSync(join(tmpdir(), 'ferry-demo-'))): Promise<number> {
  await checkLocalTools({ install: process.env.FERRY_NO_INSTALL !== '1', log: say });
  const ferry = await startLocalFerry({ home, port: 0, logger: silentLogger });
  const token = ferry.newAdminToken as string;
  const env = { FERRY_URL: ferry.apiUrl, FERRY_TOKEN: token };
  const io = {
    stdout: {
      write: (t: string) => void process.stdout.write(t),
      isTTY: Boolean(process.stdout.isTTY),
    },
    stderr: { write: (t: string) => void process.stderr.write(t) },
    env,
    pollMs: 250,
  };
  const api = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${ferry.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  try {
    say(`Ferry demo — local mode in ${home}, API ${ferry.apiUrl}`);
    say('\n1. Build hello v1 and create the function `hello` on it (version 1 behind alias live)');
    const build = createBuildahBuilder({
      registryHost: ferry.registryHost,
      authFile: ferry.registryAuthFile,
      storageRoot: join(home, 'buildah'),
      logDir: join(home, 'builds'),
    });
    await build({
      ProjectName: 'demo',
      EnvironmentVariablesOverride: buildOverrides({
        FERRY_DEPLOYMENT_ID: 'seed',
        FERRY_SOURCE_URL: example('hello'),
        FERRY_SOURCE_REF: '',
        FERRY_DOCKERFILE: 'Dockerfile',
        FERRY_CONTEXT: '.',
        FERRY_BUILD_ARGS: { VERSION: '1' },
        FERRY_IMAGE_REPOSITORY: `${ferry.registryHost}/demo/hello`,
        FERRY_IMAGE_TAG: 'v1',
        FERRY_PLATFORM: 'linux/amd64',
      }),
    });
    await api('POST', '/v1/local/functions', {
      name: 'hello',
      image: `${ferry.registryHost}/demo/hello:v1`,
    });
    await api('PUT', '/v1/functions/hello', {
      team: 'platform',
      sizeBudgetBytes: 10 * 1024 * 1024,
      smoke: { payload: { ping: true }, expectJsonSubset: { ok: true } },
    });

    const deploy = async (title: string, source: string, args: string[]) => {
      say(`\n${title}`);
      say(`$ ferry deploy hello --source ${source} ${args.join(' ')} --wait`.replace('  ', ' '));
      await runCli(['deploy', 'hello', '--source', source, ...args, '--wait'], io);
    };
    await deploy('2. Deploy hello v2 from source (expect SUCCEEDED)', example('hello'), [
      '--build-arg',
      'VERSION=2',
    ]);
    await deploy(
      '3. Deploy the broken example (expect ROLLED_BACK: its smoke invoke fails, traffic never moves)',
      example('broken'),
      [],
    );
    await deploy(
      '4. Deploy the oversized example (expect REJECTED: 13 MiB over the 10 MiB budget)',
      example('oversized'),
      [],
    );
    say('\n5. Canaries while traffic flows: 25% of the alias for 5 s, judged, then all of it');
    await api('PUT', '/v1/functions/hello', {
      team: 'platform',
      sizeBudgetBytes: 10 * 1024 * 1024,
      smoke: { payload: { ping: true }, expectJsonSubset: { ok: true } },
      release: { strategy: 'canary', percent: 25, intervalSeconds: 5 },
    });
    const traffic = loadAlias(
      ferry.functionHostUrl,
      'hello',
      hostFetch(ferry.functionHostCredentials),
    );
    try {
      await deploy('5a. Canary of hello v3 (expect SUCCEEDED)', example('hello'), [
        '--build-arg',
        'VERSION=3',
      ]);
      await deploy(
        '5b. Canary of the flaky example (expect ROLLED_BACK at its first step: half its calls fail)',
        example('flaky'),
        [],
      );
    } finally {
      const calls = await traffic.stop();
      say(
        `\nLoad generator: ${calls.total} calls through the alias, ${calls.failed} failed (those the flaky version answered during its 25% step).`,
      );
    }
    const history = (await (
      await fetch(`${ferry.apiUrl}/v1/functions/hello/deployments`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { items: Array<{ status: string }> };
    const outcomes = history.items.map((d) => d.status).reverse();

    say('\n6. History (newest first)');
    await runCli(['history', 'hello'], io);
    say('\n7. Invoke the live alias: it still answers with the good release (v3)');
    const res = await hostFetch(ferry.functionHostCredentials)(
      `${ferry.functionHostUrl}/2015-03-31/functions/hello/invocations?Qualifier=live`,
      { method: 'POST', body: '{}' },
    );
    say(
      `$ AWS_SHARED_CREDENTIALS_FILE=${join(home, 'aws-credentials')} aws --profile ferry-local --region us-east-1 lambda invoke --endpoint-url ${ferry.functionHostUrl} --function-name hello --qualifier live --payload '{}' --cli-binary-format raw-in-base64-out /dev/stdout`,
    );
    say(await res.text());
    const expected = ['SUCCEEDED', 'ROLLED_BACK', 'REJECTED', 'SUCCEEDED', 'ROLLED_BACK'];
    const ok = expected.every((s, i) => outcomes[i] === s);
    say(
      ok
        ? '\nDemo finished: every outcome as expected.'
        : `\nDemo outcomes ${outcomes.join(', ')}; expected ${expected.join(', ')}`,
    );
    return ok ? 0 : 1;
  } finally {
    await ferry.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await runDemo(process.env.FERRY_HOME);
}

/**
 * `npm run bench` (API part): bundle size of the API Lambda, its cold init vs bare node, and
 * requests/s of GET /v1/deployments/{id} vs a bare Hono route — figures and ratios, measured in
 * the same run on the same machine.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { bytesFrom, isAwsSdk } from '../test/support/lambda-bundle.ts';
import { bundleApi, bundleApiSdkExternal, bundleWorker } from './bundle-api.ts';
import { requestsPerSecond } from './load.ts';
import { timeSpawn } from './time-spawn.ts';

async function serve(
  mode: 'api' | 'bare',
): Promise<{ child: ChildProcess; url: string; token: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./api-server-child.ts', import.meta.url).pathname, mode],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const [line] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  return { child, ...JSON.parse(line.toString()) };
}

/** Runs the API benchmarks and returns printable lines. */
export async function benchApi(): Promise<string[]> {
  const bundle = await bundleApi();
  const { file, bytes } = bundle;
  const gz = gzipSync(readFileSync(file)).length;
  // The size target is set with the SDK external: Ferry's code and its other dependencies.
  const sdkBytes = bytesFrom(bundle, isAwsSdk);
  const external = await bundleApiSdkExternal();
  const env = {
    ...process.env,
    AWS_REGION: 'us-east-1',
    FERRY_TABLE_NAME: 'ferry',
    FERRY_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:ferry',
    FERRY_CURSOR_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ferry-cursor',
    FERRY_LOCK_TTL_SECONDS: '4200',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const runs = 15;
  timeSpawn(['-e', '0'], env, 3); // warm the page cache
  const bare = timeSpawn(['-e', '0'], env, runs);
  // --enable-source-maps as the stack sets it (NODE_OPTIONS): Node then reads the bundle's map at load.
  const importOf = (f: string) => [
    '--enable-source-maps',
    '--input-type=module',
    '-e',
    `await import(${JSON.stringify(f)})`,
  ];
  const init = timeSpawn(importOf(file), env, runs);
  const initSdkExternal = timeSpawn(importOf(external.file), env, runs);
  const worker = await bundleWorker();
  const workerInit = timeSpawn(importOf(worker.bundled.file), env, runs);
  const workerInitSdkExternal = timeSpawn(importOf(worker.sdkExternal.file), env, runs);

  const api = await serve('api');
  const hono = await serve('bare');
  await requestsPerSecond(api.url, { authorization: `Bearer ${api.token}` }, 1);
  const apiRps = await requestsPerSecond(api.url, { authorization: `Bearer ${api.token}` }, 3);
  await requestsPerSecond(hono.url, {}, 1);
  const bareRps = await requestsPerSecond(hono.url, {}, 3);
  api.child.kill();
  hono.child.kill();

  return [
    `API bundle: ${(bytes / 1024).toFixed(1)} KB (${(gz / 1024).toFixed(1)} KB gzipped) with the AWS SDK bundled; without the SDK's ${(sdkBytes / 1024).toFixed(1)} KB: ${((bytes - sdkBytes) / 1024).toFixed(1)} KB — target ≤ 150 KB (SDK excluded)`,
    `API cold init: ${init.toFixed(0)} ms vs bare node ${bare.toFixed(0)} ms (median of ${runs}) = ${(init / bare).toFixed(2)}× — target ≤ 1.3×; with the SDK loaded from node_modules instead: ${initSdkExternal.toFixed(0)} ms = ${(initSdkExternal / bare).toFixed(2)}×`,
    `Worker cold init (SmokeInvoke): ${workerInit.toFixed(0)} ms vs bare node = ${(workerInit / bare).toFixed(2)}×; with the SDK loaded from node_modules instead: ${workerInitSdkExternal.toFixed(0)} ms (every step of a cold deploy pays this once)`,
    `GET /v1/deployments/{id}: ${apiRps.rps.toFixed(0)} req/s vs bare Hono ${bareRps.rps.toFixed(0)} req/s = ${(apiRps.rps / bareRps.rps).toFixed(2)}× — target ≥ 0.5× (16 keep-alive connections, 3 s, loopback; failures ${apiRps.failed}/${bareRps.failed})`,
  ];
}

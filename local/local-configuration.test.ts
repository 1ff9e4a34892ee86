/**
 * `ferry local create-function|update-function-configuration|get-function` through the real
 * CLI, the `/v1/local` routes (problem+json errors) and a real function host.
 */
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciRegistry } from '../services/adapters/local/oci-registry.ts';
import type { ApiEnv } from '../services/api/env.ts';
import { toProblem } from '../services/api/error-problem.ts';
import { problemResponse } from '../services/api/problem.ts';
import { runCli } from '../services/cli/main.ts';
import { silentLogger } from '../services/core/logger.ts';
import { type LambdaWorld, startLambdaWorld } from '../test/support/lambda-images.ts';
import { type RunningFunctionHost, startFunctionHost } from './function-host/http-server.ts';
import { localRoutes } from './local-routes.ts';

describe('CLI: ferry local configuration', () => {
  let world: LambdaWorld<'probe'>;
  let running: RunningFunctionHost;
  let app: Hono<ApiEnv>;

  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['local', ...argv], {
      stdout: { write: (t: string) => void out.push(t), isTTY: false },
      stderr: { write: (t: string) => void err.push(t) },
      env: { FERRY_URL: 'http://ferry.test', FERRY_TOKEN: 't' },
      fetch: ((input: string | URL | Request, init?: RequestInit) =>
        app.request(String(input), init)) as typeof fetch,
    });
    return { code, out: out.join(''), err: err.join('') };
  };

  beforeAll(async () => {
    world = await startLambdaWorld(['probe']);
    running = await startFunctionHost({
      stateDir: await world.tempDir(),
      registryUrl: world.registry.url,
    });
    const info = {
      registry: world.registry.host,
      functionHost: running.url,
      invokeEndpoint: `${running.url}/2015-03-31/functions/function/invocations`,
    };
    app = new Hono<ApiEnv>();
    app.use(async (c, next) => {
      c.set('caller', { principal: 'token:admin:t', team: 'admin', admin: true });
      await next();
    });
    app.route(
      '/v1/local',
      localRoutes(info, running.functions, new OciRegistry({ baseUrl: world.registry.url })),
    );
    app.onError((error, c) => problemResponse(c, toProblem(error, c, silentLogger)));
  }, 120_000);
  afterAll(async () => {
    await running?.close();
    await world?.cleanup();
  });

  it('creates a function with the configuration given and prints it back', async () => {
    const created = await cli(
      'create-function',
      'cfg',
      '--image',
      world.images.probe,
      '--timeout',
      '10',
      '--memory',
      '256',
      '--env',
      'STAGE=dev',
      '--env',
      'URL=http://x/?a=b',
      '--ephemeral-storage',
      '1024',
    );
    expect(created).toMatchObject({ code: 0, err: '' });
    const got = await cli('get-function', 'cfg');
    expect(got.code).toBe(0);
    expect(got.out).toContain('timeout 10 s, memory 256 MB, x86_64, /tmp 1024 MB');
    expect(got.out).toContain('environment STAGE=dev URL=http://x/?a=b');
    expect(running.host.store.resolve('cfg', 'live').configuration).toMatchObject({
      timeoutSeconds: 10,
      memorySizeMb: 256,
      environment: { STAGE: 'dev', URL: 'http://x/?a=b' },
      ephemeralStorageMb: 1024,
    });
  });

  it('updates $LATEST, replacing the environment whole', async () => {
    const updated = await cli(
      'update-function-configuration',
      'cfg',
      '--timeout',
      '5',
      '--env',
      'ONLY=1',
      '--json',
    );
    expect(updated.code).toBe(0);
    expect(JSON.parse(updated.out)).toMatchObject({
      version: '$LATEST',
      timeoutSeconds: 5,
      memorySizeMb: 256,
      environment: { ONLY: '1' },
      lastUpdateStatus: 'Successful',
    });
  });

  it('refuses a value outside the limits with one ferry: line naming the limit, changing nothing', async () => {
    const before = running.host.store.get('cfg');
    const tooLong = await cli('update-function-configuration', 'cfg', '--timeout', '901');
    expect(tooLong.code).not.toBe(0);
    expect(tooLong.err.trim().split('\n')).toHaveLength(1);
    expect(tooLong.err).toMatch(/^ferry: .*less than or equal to 900 \(Timeout is 1-900 seconds\)/);
    const reserved = await cli(
      'create-function',
      'bad',
      '--image',
      world.images.probe,
      '--env',
      'AWS_REGION=x',
    );
    expect(reserved.code).not.toBe(0);
    expect(reserved.err).toMatch(/^ferry: .*Reserved keys used in this request: AWS_REGION/);
    const small = await cli(
      'create-function',
      'bad',
      '--image',
      world.images.probe,
      '--memory',
      '64',
    );
    expect(small.err).toMatch(/^ferry: .*greater than or equal to 128/);
    const arch = await cli('update-function-configuration', 'cfg', '--architecture', 'arm64');
    expect(arch).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^ferry: --architecture is set at create-function only/),
    });
    expect(running.host.store.get('cfg')).toEqual(before);
    expect(running.host.store.list().map((f) => f.name)).toEqual(['cfg']);
  });
});

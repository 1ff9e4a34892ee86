/**
 * The host's HTTP endpoints: the RIE path with curl exactly as the seed documents it, and
 * Lambda's Invoke API (also through the real AWS SDK client pointed at the host).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReportLine } from '../../services/core/report-line.ts';
import { type LambdaWorld, startLambdaWorld } from '../../test/support/lambda-images.ts';
import { NO_FUNCTION_MESSAGE } from './default-function.ts';
import { type RunningFunctionHost, startFunctionHost } from './http-server.ts';

const run = promisify(execFile);

describe('function host HTTP server', () => {
  let world: LambdaWorld<'good' | 'throws' | 'twin'>;
  let running: RunningFunctionHost;

  beforeAll(async () => {
    world = await startLambdaWorld(['good', 'throws', 'twin']);
    running = await startFunctionHost({
      stateDir: await world.tempDir(),
      registryUrl: world.registry.url,
      defaultFunction: 'hello',
    });
    await running.functions.createFunction('hello', world.images.good);
    await running.functions.createFunction('broken', world.images.throws);
  }, 120_000);
  afterAll(async () => {
    await running?.close();
    await world?.cleanup();
  });

  it('listens on 127.0.0.1 only', () => {
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers the RIE endpoint: curl -XPOST …/functions/function/invocations -d {}', async () => {
    const { stdout } = await run('curl', [
      '-sS',
      '-XPOST',
      `${running.url}/2015-03-31/functions/function/invocations`,
      '-d',
      '{}',
    ]);
    expect(JSON.parse(stdout)).toMatchObject({
      ok: true,
      fn: 'hello',
      version: '$LATEST',
      event: {},
    });
  });

  it("serves Lambda's Invoke API with Qualifier, log tail and function error headers", async () => {
    const res = await fetch(
      `${running.url}/2015-03-31/functions/broken/invocations?Qualifier=live`,
      {
        method: 'POST',
        body: '{"a":1}',
        headers: { 'X-Amz-Log-Type': 'Tail' },
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(res.headers.get('x-amz-executed-version')).toBe('1');
    const tail = Buffer.from(res.headers.get('x-amz-log-result') ?? '', 'base64').toString('utf8');
    expect(parseReportLine(tail)?.initDurationMs).toBeGreaterThan(0);
    expect(await res.json()).toEqual({ errorType: 'Error', errorMessage: 'boom from handler' });
  });

  it('works with the AWS SDK Lambda client pointed at it', async () => {
    const client = new LambdaClient({
      endpoint: running.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const out = await client.send(
        new InvokeCommand({
          FunctionName: 'hello',
          Qualifier: '1',
          Payload: new TextEncoder().encode('{"via":"sdk"}'),
          LogType: 'Tail',
        }),
      );
      expect(out.StatusCode).toBe(200);
      expect(out.FunctionError).toBeUndefined();
      expect(out.ExecutedVersion).toBe('1');
      expect(JSON.parse(new TextDecoder().decode(out.Payload)).event).toEqual({ via: 'sdk' });
      const tail = Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');
      expect(tail).toMatch(/^REPORT RequestId: /m);
      await expect(
        client.send(
          new InvokeCommand({ FunctionName: 'nope', Payload: new TextEncoder().encode('{}') }),
        ),
      ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    } finally {
      client.destroy();
    }
  });

  it('maps bad requests like Lambda: unknown function 404, non-JSON 400, DryRun 204, Event 202', async () => {
    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${running.url}/2015-03-31/functions/${path}/invocations`, {
        method: 'POST',
        body,
        headers,
      });
    const missing = await post('ghost', '{}');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect((await post('hello', 'not json')).status).toBe(400);
    expect((await post('hello:7', '{}')).status).toBe(404);
    expect((await post('hello', '{}', { 'X-Amz-Invocation-Type': 'DryRun' })).status).toBe(204);
    expect((await post('hello', '{}', { 'X-Amz-Invocation-Type': 'Event' })).status).toBe(202);
    const get = await fetch(`${running.url}/2015-03-31/functions/hello/invocations`);
    expect(get.status).toBe(404);
  });

  it('the RIE path invokes `function`, else the default, else the newest created or updated', async () => {
    const stateDir = await world.tempDir();
    const options = { stateDir, registryUrl: world.registry.url };
    let fresh = await startFunctionHost(options);
    const rie = async () => {
      const res = await fetch(`${fresh.url}/2015-03-31/functions/function/invocations`, {
        method: 'POST',
        body: '{}',
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    try {
      expect(await rie()).toEqual({
        status: 404,
        body: { Type: 'User', message: NO_FUNCTION_MESSAGE },
      });
      await fresh.functions.createFunction('a', world.images.good);
      await fresh.functions.createFunction('b', world.images.good);
      expect((await rie()).body.fn).toBe('b');
      await fresh.functions.updateCode('a', world.images.twin);
      await fresh.functions.waitUntilUpdated('a', 60);
      expect((await rie()).body.fn).toBe('a');
      await fresh.close();
      fresh = await startFunctionHost({ ...options, defaultFunction: 'b' });
      expect((await rie()).body.fn).toBe('b');
      await fresh.functions.createFunction('function', world.images.good);
      expect((await rie()).body.fn).toBe('function');
    } finally {
      await fresh.close();
    }
  });
});

/**
 * The local function host judged by clients nobody here wrote: the AWS CLI v2 and the AWS SDK
 * v3 call its Lambda Invoke API, and the functions run AWS's own Node.js runtime interface
 * client (test/support/ric-image.ts). Every expectation is Lambda's: a function created with
 * the defaults has 128 MB and a 3 s timeout; a thrown error, an error at import and a timeout
 * are `Unhandled` function errors with the runtime's payload; a stream that fails midway ends
 * with an InvokeComplete event carrying the error.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  InvokeCommand,
  type InvokeCommandOutput,
  InvokeWithResponseStreamCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningFunctionHost,
  startFunctionHost,
} from '../../local/function-host/http-server.ts';
import { parseReportLine } from '../../services/core/report-line.ts';
import { type AwsCli, awsCli } from '../support/aws-cli.ts';
import { startTestRegistry, type TestRegistry } from '../support/registry.ts';
import { pushRicImages, RIC_FUNCTIONS } from '../support/ric-image.ts';

let registry: TestRegistry;
let running: RunningFunctionHost;
let cli: AwsCli;
let client: LambdaClient;
let stateDir: string;

beforeAll(async () => {
  cli = await awsCli();
  registry = await startTestRegistry();
  stateDir = await mkdtemp(join(tmpdir(), 'ferry-real-clients-'));
  const images = await pushRicImages(registry.host);
  running = await startFunctionHost({ stateDir, registryUrl: registry.url });
  for (const fn of RIC_FUNCTIONS) await running.functions.createFunction(fn, images[fn]);
  // A function of its own for the SDK's first call, so that it is a cold start whatever ran before.
  await running.functions.createFunction('answer-sdk', images.answer);
  client = new LambdaClient({
    endpoint: running.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDFERRYSDK', secretAccessKey: 'ferry-sdk-secret' },
  });
}, 600_000);

afterAll(async () => {
  client?.destroy();
  await running?.close();
  await registry?.stop();
  await cli?.dispose();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

const decode = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const tailOf = (logResult: string | undefined) =>
  Buffer.from(logResult ?? '', 'base64').toString('utf8');

/**
 * Asserts Lambda's START / END / REPORT lines for one request of `fn` (its REPORT names the
 * function's memory size); returns the request id.
 */
function expectLifecycleLines(tail: string, fn: string, version: string): string {
  const id = /^START RequestId: ([0-9a-f-]{36}) Version: (\S+)$/m.exec(tail);
  expect(id, tail).not.toBeNull();
  expect(id?.[2]).toBe(version);
  const requestId = id?.[1] ?? '';
  expect(tail).toMatch(new RegExp(`^END RequestId: ${requestId}$`, 'm'));
  const memory = running.host.store.get(fn).memorySizeMb;
  expect(tail).toMatch(
    new RegExp(
      `^REPORT RequestId: ${requestId}\\tDuration: [0-9.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: ${memory} MB\\tMax Memory Used: \\d+ MB`,
      'm',
    ),
  );
  return requestId;
}

async function sdkInvoke(fn: string, payload: unknown, qualifier?: string) {
  return client.send(
    new InvokeCommand({
      FunctionName: fn,
      ...(qualifier ? { Qualifier: qualifier } : {}),
      LogType: 'Tail',
      Payload: new TextEncoder().encode(JSON.stringify(payload)),
    }),
  );
}

const errorOf = (out: InvokeCommandOutput) =>
  JSON.parse(decode(out.Payload)) as { errorType?: string; errorMessage?: string };

describe('AWS CLI v2 against the function host', () => {
  async function cliInvoke(fn: string, qualifier: string | null, out: string) {
    const { stdout } = await cli.run([
      'lambda',
      'invoke',
      '--endpoint-url',
      running.url,
      '--function-name',
      fn,
      ...(qualifier ? ['--qualifier', qualifier] : []),
      '--log-type',
      'Tail',
      '--payload',
      '{"from":"aws-cli"}',
      '--cli-binary-format',
      'raw-in-base64-out',
      out,
    ]);
    const result = JSON.parse(stdout) as Record<string, string | number | undefined>;
    return { result, body: JSON.parse(await readFile(join(cli.home, out), 'utf8')) as unknown };
  }

  it.each([
    [null, '$LATEST'],
    ['live', '1'],
  ])(
    'invokes answer with qualifier %s: 200, no FunctionError, version %s, the log tail',
    async (qualifier, version) => {
      const { result, body } = await cliInvoke('answer', qualifier, `answer-${version}.json`);
      expect(result.StatusCode).toBe(200);
      expect(result.FunctionError).toBeUndefined();
      expect(result.ExecutedVersion).toBe(version);
      expect(body).toEqual({ answer: 42, received: { from: 'aws-cli' } });
      expectLifecycleLines(tailOf(String(result.LogResult)), 'answer', version);
    },
  );

  it.each([
    [null, '$LATEST'],
    ['1', '1'],
  ])(
    'invokes throws with qualifier %s: FunctionError Unhandled and the error payload',
    async (qualifier, version) => {
      const { result, body } = await cliInvoke('throws', qualifier, `throws-${version}.json`);
      expect(result.StatusCode).toBe(200);
      expect(result.FunctionError).toBe('Unhandled');
      expect(result.ExecutedVersion).toBe(version);
      expect(body).toMatchObject({ errorType: 'Error', errorMessage: 'boom from the handler' });
      const tail = tailOf(String(result.LogResult));
      expectLifecycleLines(tail, 'throws', version);
      expect(tail).toContain('boom from the handler');
    },
  );
});

describe('AWS SDK v3 against the function host', () => {
  it("gives a function created with the defaults Lambda's: 128 MB and a 3 s timeout", async () => {
    expect(running.host.store.get('answer')).toMatchObject({
      memorySizeMb: 128,
      timeoutSeconds: 3,
    });
    const out = await sdkInvoke('answer', {});
    expect(parseReportLine(tailOf(out.LogResult))?.memorySizeMb).toBe(128);
  });

  it('Invoke answer: the payload, the version, a cold start and the request id of its logs', async () => {
    const out = await sdkInvoke('answer-sdk', { from: 'sdk' }, '1');
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(out.ExecutedVersion).toBe('1');
    expect(JSON.parse(decode(out.Payload))).toEqual({ answer: 42, received: { from: 'sdk' } });
    const tail = tailOf(out.LogResult);
    const requestId = expectLifecycleLines(tail, 'answer-sdk', '1');
    expect(parseReportLine(tail)?.initDurationMs).toBeGreaterThan(0);
    // The SDK reads it from x-amzn-RequestId, as Lambda sends it.
    expect(out.$metadata.requestId).toBe(requestId);
  });

  it('Invoke throws: Unhandled with the error the runtime reported', async () => {
    const out = await sdkInvoke('throws', {});
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(errorOf(out)).toMatchObject({
      errorType: 'Error',
      errorMessage: 'boom from the handler',
    });
    expectLifecycleLines(tailOf(out.LogResult), 'throws', '$LATEST');
  });

  it('Invoke import-fails: the init error comes back at once, Unhandled, with no Init Duration', async () => {
    const out = await sdkInvoke('import-fails', {});
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(errorOf(out)).toMatchObject({
      errorType: 'Error',
      errorMessage: 'cannot load configuration at import',
    });
    const tail = tailOf(out.LogResult);
    expect(tail).toMatch(/^REPORT RequestId: /m);
    expect(parseReportLine(tail)?.initDurationMs).toBeNull();
  });

  it('Invoke slow: timed out after the default 3 s, Status: timeout in the REPORT line', async () => {
    const out = await sdkInvoke('slow', {});
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(errorOf(out)).toMatchObject({ errorType: 'Sandbox.Timedout' });
    expect(errorOf(out).errorMessage).toMatch(/Task timed out after 3\.00 seconds/);
    const tail = tailOf(out.LogResult);
    expect(tail).toMatch(/^REPORT RequestId: .*\tStatus: timeout/m);
    expect(parseReportLine(tail)?.durationMs).toBeGreaterThanOrEqual(3000);
  });

  it('Invoke stream-fails: a function error with the error, not a 200 with the partial body', async () => {
    const out = await sdkInvoke('stream-fails', {});
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(errorOf(out)).toMatchObject({ errorType: 'Error', errorMessage: 'stream broke midway' });
  });

  it('InvokeWithResponseStream stream-fails: the chunk, then InvokeComplete with the error', async () => {
    const out = await client.send(
      new InvokeWithResponseStreamCommand({
        FunctionName: 'stream-fails',
        LogType: 'Tail',
        Payload: new TextEncoder().encode('{}'),
      }),
    );
    expect(out.StatusCode).toBe(200);
    const chunks: string[] = [];
    const completes: Array<{ ErrorCode?: string; ErrorDetails?: string; LogResult?: string }> = [];
    for await (const event of out.EventStream ?? []) {
      if (event.PayloadChunk) chunks.push(decode(event.PayloadChunk.Payload));
      if (event.InvokeComplete) completes.push(event.InvokeComplete);
    }
    expect(chunks.join('')).toBe('first chunk;');
    expect(completes).toHaveLength(1);
    expect(completes[0]?.ErrorCode).toBeTruthy();
    expect(completes[0]?.ErrorDetails).toContain('stream broke midway');
  });
});

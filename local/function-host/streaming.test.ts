/**
 * Response streaming, the runtime side (aws-lambda-ric's protocol: a chunked response with
 * error trailers) through the host, Ferry's Functions port and the real SDK's
 * InvokeWithResponseStream.
 */
import {
  InvokeCommand,
  InvokeWithResponseStreamCommand,
  type InvokeWithResponseStreamCommandOutput,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFunctions } from '../../services/adapters/local/local-functions.ts';
import { type LambdaWorld, startLambdaWorld } from '../../test/support/lambda-images.ts';
import { type RunningFunctionHost, startFunctionHost } from './http-server.ts';

const VARIANTS = ['good', 'throws', 'stream', 'stream-fails'] as const;
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

/** The events of a response stream, chunks decoded. */
async function events(out: InvokeWithResponseStreamCommandOutput) {
  const chunks: string[] = [];
  const completes: Record<string, unknown>[] = [];
  for await (const event of out.EventStream ?? []) {
    if (event.PayloadChunk) chunks.push(text(event.PayloadChunk.Payload));
    if (event.InvokeComplete) completes.push({ ...event.InvokeComplete });
  }
  return { chunks, completes };
}

describe('response streaming', () => {
  let world: LambdaWorld<(typeof VARIANTS)[number]>;
  let running: RunningFunctionHost;
  let client: LambdaClient;

  beforeAll(async () => {
    world = await startLambdaWorld(VARIANTS);
    running = await startFunctionHost({
      stateDir: await world.tempDir(),
      registryUrl: world.registry.url,
    });
    for (const variant of VARIANTS) {
      await running.functions.createFunction(variant, world.images[variant]);
    }
    client = new LambdaClient({
      endpoint: running.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }, 180_000);
  afterAll(async () => {
    client?.destroy();
    await running?.close();
    await world?.cleanup();
  });

  it('a streamed response is the whole body for a buffered invoke', async () => {
    const result = await running.host.invoke('stream', 'live', '{}');
    expect(result.functionError).toBeUndefined();
    expect(result.payload).toBe('chunk-1;chunk-2;chunk-3;');
  });

  it('a stream that fails midway is a function error with the error from its trailers', async () => {
    const result = await running.host.invoke('stream-fails', 'live', '{}');
    expect(result.functionError).toBe('Unhandled');
    expect(JSON.parse(result.payload)).toEqual({
      errorType: 'Error',
      errorMessage: 'stream broke midway',
    });
  });

  it("fails Ferry's smoke path (the local Functions port) on a midway stream failure", async () => {
    const result = await new LocalFunctions(running.host).invoke('stream-fails', '1', '{}');
    expect(result.functionError).toBe('Unhandled');
  });

  const stream = (FunctionName: string, extra: { Qualifier?: string; LogType?: 'Tail' } = {}) =>
    client.send(
      new InvokeWithResponseStreamCommand({
        FunctionName,
        Payload: new TextEncoder().encode('{}'),
        ...extra,
      }),
    );

  it('InvokeWithResponseStream (real SDK) delivers the chunks in order, then InvokeComplete', async () => {
    const out = await stream('stream', { Qualifier: 'live', LogType: 'Tail' });
    expect(out.StatusCode).toBe(200);
    expect(out.ExecutedVersion).toBe('1');
    expect(out.ResponseStreamContentType).toBe('application/vnd.amazon.eventstream');
    const requestId = out.$metadata.requestId;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const { chunks, completes } = await events(out);
    expect(chunks.join('')).toBe('chunk-1;chunk-2;chunk-3;');
    expect(completes).toHaveLength(1);
    expect(completes[0]?.ErrorCode).toBeUndefined();
    const tail = Buffer.from(String(completes[0]?.LogResult), 'base64').toString('utf8');
    expect(tail).toContain(`REPORT RequestId: ${requestId}`);
  });

  it('InvokeWithResponseStream shows a midway failure as ErrorCode / ErrorDetails', async () => {
    const { chunks, completes } = await events(await stream('stream-fails'));
    expect(chunks.join('')).toBe('chunk-1;chunk-2;chunk-3;');
    expect(completes).toEqual([{ ErrorCode: 'Error', ErrorDetails: 'stream broke midway' }]);
  });

  it('InvokeWithResponseStream of a buffered function is one chunk, its errors in InvokeComplete', async () => {
    const good = await events(await stream('good', { Qualifier: '1' }));
    expect(good.chunks).toHaveLength(1);
    expect(JSON.parse(good.chunks[0] ?? '')).toMatchObject({ ok: true, fn: 'good' });
    expect(good.completes).toEqual([{}]);
    const throws = await events(await stream('throws'));
    expect(throws.chunks).toEqual([]);
    expect(throws.completes).toEqual([{ ErrorCode: 'Error', ErrorDetails: 'boom from handler' }]);
  });

  it('a buffered Invoke (real SDK) of a stream that fails midway reports FunctionError', async () => {
    const out = await client.send(
      new InvokeCommand({ FunctionName: 'stream-fails', Payload: new TextEncoder().encode('{}') }),
    );
    expect(out.FunctionError).toBe('Unhandled');
    expect(JSON.parse(text(out.Payload))).toEqual({
      errorType: 'Error',
      errorMessage: 'stream broke midway',
    });
  });

  it('InvokeWithResponseStream refuses unknown functions before streaming anything', async () => {
    await expect(stream('ghost')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:ghost',
    });
  });
});

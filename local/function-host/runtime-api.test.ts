/**
 * The Runtime API's streamed responses, spoken to directly the way aws-lambda-ric does: a
 * chunked POST declaring the error trailers.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type Invocation, RuntimeApi, type RuntimeApiHandlers } from './runtime-api.ts';

interface Seen {
  chunks: string[];
  response?: string;
  error?: { body: string; type: string | undefined };
}

/** A Runtime API whose only known request id is `req-1`, recording what it is told. */
async function start(onChunk: (chunk: string) => void = () => {}) {
  const seen: Seen = { chunks: [] };
  const known = (id: string) => id === 'req-1';
  const handlers: RuntimeApiHandlers = {
    next: () => {},
    handedOut: () => {},
    response: (id, body) => {
      seen.response = body.toString('utf8');
      return known(id);
    },
    chunk: (id, chunk) => {
      if (!known(id)) return false;
      seen.chunks.push(chunk.toString('utf8'));
      onChunk(chunk.toString('utf8'));
      return true;
    },
    error: (id, body, type) => {
      seen.error = { body: body.toString('utf8'), type };
      return known(id);
    },
    initError: () => {},
  };
  return { api: await RuntimeApi.start(handlers), seen };
}

/** Opens a streamed response for `id`; resolves with the status once the server answers. */
function streamTo(api: RuntimeApi, id: string) {
  const [host, port] = api.address.split(':');
  const req = request({
    host,
    port: Number(port),
    method: 'POST',
    path: `/2018-06-01/runtime/invocation/${id}/response`,
    headers: {
      'Lambda-Runtime-Function-Response-Mode': 'streaming',
      'Transfer-Encoding': 'chunked',
      Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body',
    },
  });
  const status = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
  });
  return { req, status };
}

let api: RuntimeApi | undefined;
afterEach(async () => {
  await api?.close();
});

describe('RuntimeApi streamed responses', () => {
  it('passes each piece on as it arrives, then the whole body', async () => {
    let arrived: (chunk: string) => void = () => {};
    const started = await start((chunk) => arrived(chunk));
    api = started.api;
    const { req, status } = streamTo(api, 'req-1');
    const first = new Promise<string>((resolve) => {
      arrived = resolve;
    });
    req.write('part one;');
    // The second piece is written only once the first has reached the handler.
    expect(await first).toBe('part one;');
    req.end('part two;');
    expect(await status).toBe(202);
    expect(started.seen.chunks).toEqual(['part one;', 'part two;']);
    expect(started.seen.response).toBe('part one;part two;');
    expect(started.seen.error).toBeUndefined();
  });

  it('ends the invocation with the error the trailers carry', async () => {
    const started = await start();
    api = started.api;
    const { req, status } = streamTo(api, 'req-1');
    req.write('partial');
    const error = { errorType: 'TypeError', errorMessage: 'midway', trace: ['at x'] };
    req.addTrailers({
      'Lambda-Runtime-Function-Error-Type': 'TypeError',
      'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(error)).toString('base64'),
    });
    req.end();
    expect(await status).toBe(202);
    expect(started.seen.response).toBeUndefined();
    expect(started.seen.error?.type).toBe('TypeError');
    expect(JSON.parse(started.seen.error?.body ?? '')).toEqual(error);
  });

  it('refuses a stream for an unknown request id', async () => {
    const started = await start();
    api = started.api;
    const { req, status } = streamTo(api, 'someone-else');
    req.end('data');
    expect(await status).toBe(400);
    expect(started.seen.chunks).toEqual([]);
  });

  it('hands the client context and Cognito identity to /next', async () => {
    const started = await start();
    api = started.api;
    const invocation: Invocation = {
      requestId: 'req-1',
      payload: '{}',
      timeoutMs: 1000,
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
      clientContext: '{"custom":{"k":"v"}}',
      cognitoIdentity: '{"cognitoIdentityId":"id-1"}',
    };
    api.offer(invocation);
    const res = await fetch(`http://${api.address}/2018-06-01/runtime/invocation/next`);
    expect(res.headers.get('lambda-runtime-aws-request-id')).toBe('req-1');
    expect(res.headers.get('lambda-runtime-client-context')).toBe('{"custom":{"k":"v"}}');
    expect(res.headers.get('lambda-runtime-cognito-identity')).toBe('{"cognitoIdentityId":"id-1"}');
  });
});

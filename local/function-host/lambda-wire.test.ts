/**
 * The host on the wire as AWS's own clients see it: the real SDK v3 Lambda client and the AWS
 * CLI pointed at it — request ids, client context, function names and ARNs, and every error
 * surfacing as the exception class Lambda's model names.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { InvokeCommand, type InvokeCommandInput, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReportLine } from '../../services/core/report-line.ts';
import { type LambdaWorld, startLambdaWorld } from '../../test/support/lambda-images.ts';
import { type RunningFunctionHost, startFunctionHost } from './http-server.ts';

const run = promisify(execFile);
const ARN = 'arn:aws:lambda:us-east-1:000000000000:function';
const bytes = (text: string) => new TextEncoder().encode(text);
const json = (payload: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(payload));

const sdk = (endpoint: string, maxAttempts = 3) =>
  new LambdaClient({
    endpoint,
    region: 'us-east-1',
    maxAttempts,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

describe('the host on the wire (SDK v3, AWS CLI)', () => {
  let world: LambdaWorld<'good' | 'context'>;
  let running: RunningFunctionHost;
  let client: LambdaClient;
  const invoke = (input: Partial<InvokeCommandInput>) =>
    client.send(new InvokeCommand({ FunctionName: 'hello', Payload: bytes('{}'), ...input }));

  beforeAll(async () => {
    world = await startLambdaWorld(['good', 'context']);
    running = await startFunctionHost({
      stateDir: await world.tempDir(),
      registryUrl: world.registry.url,
    });
    await running.functions.createFunction('hello', world.images.good);
    await running.functions.createFunction('context', world.images.context);
    client = sdk(running.url);
  }, 180_000);
  afterAll(async () => {
    client?.destroy();
    await running?.close();
    await world?.cleanup();
  });

  it("answers with the invocation's request id: the one in START/REPORT and in the runtime", async () => {
    const out = await invoke({ FunctionName: 'context', LogType: 'Tail' });
    const requestId = out.$metadata.requestId;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(json(out.Payload).requestId).toBe(requestId);
    const tail = Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');
    expect(tail).toContain(`START RequestId: ${requestId} `);
    expect(parseReportLine(tail)?.requestId).toBe(requestId);
  });

  it('puts x-amzn-RequestId on DryRun, Event, errors and unknown routes too', async () => {
    const uuid = /^[0-9a-f-]{36}$/;
    const dry = await invoke({ InvocationType: 'DryRun' });
    expect(dry).toMatchObject({
      StatusCode: 204,
      $metadata: { requestId: expect.stringMatching(uuid) },
    });
    const event = await invoke({ InvocationType: 'Event' });
    expect(event).toMatchObject({
      StatusCode: 202,
      $metadata: { requestId: expect.stringMatching(uuid) },
    });
    const pc = await fetch(
      `${running.url}/2019-09-30/functions/hello/provisioned-concurrency?Qualifier=1`,
    );
    expect(pc.status).toBe(404);
    expect(pc.headers.get('x-amzn-requestid')).toMatch(uuid);
    const error = await invoke({ FunctionName: 'ghost' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      $metadata: { requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    });
    const res = await fetch(`${running.url}/2015-03-31/nothing-here`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('hands X-Amz-Client-Context (base64 JSON) to the runtime, decoded', async () => {
    const context = { client: { app_title: 'ferry' }, custom: { tenant: 't1' } };
    const ClientContext = Buffer.from(JSON.stringify(context)).toString('base64');
    const out = await invoke({ FunctionName: 'context', ClientContext });
    expect(json(out.Payload)).toMatchObject({ clientContext: context, cognitoIdentity: null });
    const direct = await running.host.invoke('context', '$LATEST', '{}', {
      cognitoIdentity: '{"cognitoIdentityId":"id-1","cognitoIdentityPoolId":"pool-1"}',
    });
    expect(JSON.parse(direct.payload).cognitoIdentity).toEqual({
      cognitoIdentityId: 'id-1',
      cognitoIdentityPoolId: 'pool-1',
    });
  });

  it("refuses a client context over Lambda's 3583 bytes, or not base64 JSON", async () => {
    const big = Buffer.from(JSON.stringify({ custom: { pad: 'x'.repeat(3000) } })).toString(
      'base64',
    );
    await expect(invoke({ ClientContext: big })).rejects.toMatchObject({
      name: 'InvalidRequestContentException',
    });
    await expect(invoke({ ClientContext: 'not base64 json!' })).rejects.toMatchObject({
      name: 'InvalidRequestContentException',
      message: 'Client context must be a valid Base64-encoded JSON object.',
    });
  });

  it('takes a name, name:qualifier, a partial ARN and a full ARN', async () => {
    const cases: [Partial<InvokeCommandInput>, string][] = [
      [{ FunctionName: 'hello' }, '$LATEST'],
      [{ FunctionName: 'hello:1' }, '1'],
      [{ FunctionName: 'hello:live', Qualifier: 'live' }, '1'],
      [{ FunctionName: '000000000000:function:hello:live' }, '1'],
      [{ FunctionName: `${ARN}:hello` }, '$LATEST'],
      [{ FunctionName: `${ARN}:hello`, Qualifier: '1' }, '1'],
    ];
    for (const [input, version] of cases) {
      const out = await invoke(input);
      expect(out.ExecutedVersion, JSON.stringify(input)).toBe(version);
      expect(json(out.Payload).fn).toBe('hello');
    }
  });

  it("names each error as Lambda does, so the SDK raises that exception with Lambda's message", async () => {
    await expect(invoke({ FunctionName: 'ghost' })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Function not found: ${ARN}:ghost`,
      $metadata: { httpStatusCode: 404 },
    });
    await expect(invoke({ FunctionName: 'hello:7' })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Function not found: ${ARN}:hello:7`,
    });
    await expect(invoke({ FunctionName: '111111111111:function:hello' })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Function not found: arn:aws:lambda:us-east-1:111111111111:function:hello',
    });
    await expect(invoke({ FunctionName: 'bad name!' })).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(
        /^1 validation error detected: Value 'bad name!' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: /,
      ),
      $metadata: { httpStatusCode: 400 },
    });
    await expect(invoke({ FunctionName: 'hello:1', Qualifier: '2' })).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message:
        'The derived qualifier from the function name does not match the specified qualifier.',
    });
    await expect(invoke({ Payload: bytes('not json') })).rejects.toMatchObject({
      name: 'InvalidRequestContentException',
      message: expect.stringMatching(/^Could not parse request body into json: /),
    });
    const large = bytes(JSON.stringify({ pad: 'x'.repeat(6 * 1024 * 1024) }));
    await expect(invoke({ Payload: large })).rejects.toMatchObject({
      name: 'RequestEntityTooLargeException',
      message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
      $metadata: { httpStatusCode: 413 },
    });
  });

  it('throttles past the instance bound with TooManyRequestsException and its Reason', async () => {
    const small = await startFunctionHost({
      stateDir: await world.tempDir(),
      registryUrl: world.registry.url,
      maxInstances: 1,
      maxQueued: 0,
    });
    const once = sdk(small.url, 1);
    try {
      await small.functions.createFunction('busy', world.images.good);
      const first = once.send(
        new InvokeCommand({ FunctionName: 'busy', Payload: bytes('{"sleep":2}') }),
      );
      while (small.host.pool.size === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      await expect(
        once.send(new InvokeCommand({ FunctionName: 'busy', Payload: bytes('{}') })),
      ).rejects.toMatchObject({
        name: 'TooManyRequestsException',
        Reason: 'ConcurrentInvocationLimitExceeded',
        $metadata: { httpStatusCode: 429 },
      });
      expect((await first).FunctionError).toBeUndefined();
    } finally {
      once.destroy();
      await small.close();
    }
  });

  it('works with the AWS CLI: invoke with a log tail, and a missing function', async () => {
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
    };
    const out = `${await world.tempDir()}/out.json`;
    const args = ['lambda', 'invoke', '--endpoint-url', running.url, '--payload', '{"via":"cli"}'];
    const cli = ['--cli-binary-format', 'raw-in-base64-out', '--log-type', 'Tail', out];
    const { stdout } = await run('/usr/bin/aws', [...args, '--function-name', 'hello:1', ...cli], {
      env,
    });
    const answer = JSON.parse(stdout);
    expect(answer).toMatchObject({ StatusCode: 200, ExecutedVersion: '1' });
    expect(Buffer.from(answer.LogResult, 'base64').toString('utf8')).toMatch(/^REPORT RequestId/m);
    const failed = await run('/usr/bin/aws', [...args, '--function-name', 'ghost', ...cli], {
      env,
    }).catch((error: { stderr: string }) => error);
    expect('stderr' in failed ? failed.stderr : '').toContain(
      `An error occurred (ResourceNotFoundException) when calling the Invoke operation: Function not found: ${ARN}:ghost`,
    );
  }, 60_000);
});

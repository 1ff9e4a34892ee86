/**
 * Lambda's configuration API on the host's server, through the real `@aws-sdk/client-lambda`
 * pointed at it: GetFunction, GetFunctionConfiguration (with a Qualifier) and
 * UpdateFunctionConfiguration with its RevisionId precondition and Lambda's limits.
 */
import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LambdaWorld, startLambdaWorld } from '../../test/support/lambda-images.ts';
import { type RunningFunctionHost, startFunctionHost } from './http-server.ts';

describe('configuration routes', () => {
  let world: LambdaWorld<'probe'>;
  let running: RunningFunctionHost;
  let lambda: LambdaClient;

  beforeAll(async () => {
    world = await startLambdaWorld(['probe']);
    running = await startFunctionHost({
      stateDir: await world.tempDir(),
      registryUrl: world.registry.url,
    });
    await running.functions.createFunction('cfg', world.images.probe, {
      environment: { STAGE: 'one' },
    });
    lambda = new LambdaClient({
      endpoint: running.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  }, 120_000);
  afterAll(async () => {
    lambda?.destroy();
    await running?.close();
    await world?.cleanup();
  });

  it("answers GetFunction and GetFunctionConfiguration with Lambda's fields and defaults", async () => {
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'cfg' }));
    expect(got.Configuration).toMatchObject({
      FunctionName: 'cfg',
      Version: '$LATEST',
      PackageType: 'Image',
      Timeout: 3,
      MemorySize: 128,
      Environment: { Variables: { STAGE: 'one' } },
      Architectures: ['x86_64'],
      EphemeralStorage: { Size: 512 },
      State: 'Active',
      LastUpdateStatus: 'Successful',
    });
    expect(got.Code).toEqual({
      RepositoryType: 'ECR',
      ImageUri: world.images.probe,
      ResolvedImageUri: world.images.probe,
    });
    const live = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'cfg', Qualifier: 'live' }),
    );
    expect(live).toMatchObject({ Version: '1', Timeout: 3 });
  });

  it('updates $LATEST on its RevisionId, leaves published versions alone, and runs with the new values', async () => {
    const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'cfg' }));
    const updated = await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'cfg',
        RevisionId: before.RevisionId,
        Timeout: 20,
        MemorySize: 256,
        Environment: { Variables: { STAGE: 'two' } },
        EphemeralStorage: { Size: 1024 },
      }),
    );
    expect(updated).toMatchObject({
      Timeout: 20,
      MemorySize: 256,
      Environment: { Variables: { STAGE: 'two' } },
      EphemeralStorage: { Size: 1024 },
      LastUpdateStatus: 'Successful',
    });
    expect(updated.RevisionId).not.toBe(before.RevisionId);
    const stale = lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'cfg',
        RevisionId: before.RevisionId,
        Timeout: 30,
      }),
    );
    await expect(stale).rejects.toMatchObject({
      name: 'PreconditionFailedException',
      $metadata: { httpStatusCode: 412 },
    });
    const latest = await lambda.send(new InvokeCommand({ FunctionName: 'cfg', Payload: '{}' }));
    expect(JSON.parse(Buffer.from(latest.Payload ?? []).toString())).toMatchObject({
      stage: 'two',
      memory: '256',
      tmpKb: 1024 * 1024,
    });
    const v1 = await lambda.send(
      new InvokeCommand({ FunctionName: 'cfg', Qualifier: '1', Payload: '{}' }),
    );
    expect(JSON.parse(Buffer.from(v1.Payload ?? []).toString())).toMatchObject({
      stage: 'one',
      memory: '128',
      tmpKb: 512 * 1024,
    });
  });

  it("refuses what Lambda refuses, with Lambda's error types, and changes nothing", async () => {
    const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'cfg' }));
    const attempt = (input: Omit<UpdateFunctionConfigurationCommand['input'], 'FunctionName'>) =>
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'cfg', ...input }));
    await expect(attempt({ Timeout: 901 })).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('less than or equal to 900'),
    });
    await expect(attempt({ MemorySize: 64 })).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(
      attempt({ Environment: { Variables: { AWS_LAMBDA_FUNCTION_NAME: 'x' } } }),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining(
        'Reserved keys used in this request: AWS_LAMBDA_FUNCTION_NAME',
      ),
    });
    await expect(attempt({ Handler: 'index.handler' })).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('cannot update Handler'),
    });
    await expect(
      lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'nope' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const after = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'cfg' }));
    // Each answer has its own request id; the configuration is what must not have changed.
    const { $metadata: _a, ...afterConfig } = after;
    const { $metadata: _b, ...beforeConfig } = before;
    expect(afterConfig).toEqual(beforeConfig);
  });
});

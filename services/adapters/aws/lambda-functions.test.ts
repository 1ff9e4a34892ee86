/**
 * What the Functions contracts on moto (test/contracts/functions.test.ts, functions-routing.test.ts)
 * cannot show: revisions, update and publish states other than Successful and Active, the code
 * location moto misreports, IAM denials, races, and invokes (moto runs images only in Docker).
 */
import 'aws-sdk-client-mock-vitest/extend';
import {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionCommand,
  type GetFunctionCommandOutput,
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  InvokeCommand,
  type InvokeCommandOutput,
  LambdaClient,
  LambdaServiceException,
  PreconditionFailedException,
  PublishVersionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  TooManyRequestsException,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LambdaFunctions } from './lambda-functions.ts';

const lambda = mockClient(LambdaClient);

const DIGEST = `sha256:${'a'.repeat(64)}`;
const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api';
const IMAGE_URI = `${REPO}@${DIGEST}`;
const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:api';

/** Invoke's payload as the SDK hands it out (a Uint8Array with transform helpers we don't use). */
const blob = (text: string) => new TextEncoder().encode(text) as InvokeCommandOutput['Payload'];

const inputsOf = (command: Parameters<typeof lambda.commandCalls>[0]) =>
  lambda.commandCalls(command).map((call) => call.args[0].input);

/** A GetFunction answer for an image function at $LATEST. */
function getFunctionOutput(
  lastUpdateStatus: string,
  extra: Record<string, unknown> = {},
): Partial<GetFunctionCommandOutput> {
  return {
    Configuration: {
      FunctionName: 'api',
      FunctionArn: ARN,
      Version: '$LATEST',
      PackageType: 'Image',
      Architectures: ['arm64'],
      CodeSha256: 'a'.repeat(64),
      RevisionId: 'rev-2',
      State: 'Active',
      LastUpdateStatus: lastUpdateStatus as 'Successful',
      ...extra,
    },
    Code: { RepositoryType: 'ECR', ImageUri: IMAGE_URI, ResolvedImageUri: IMAGE_URI },
  };
}

const expectedConfig = {
  functionName: 'api',
  functionArn: ARN,
  version: '$LATEST',
  packageType: 'Image',
  architecture: 'arm64',
  resolvedImageUri: IMAGE_URI,
  imageUri: IMAGE_URI,
  codeSha256: 'a'.repeat(64),
  revisionId: 'rev-2',
  state: 'Active',
  lastUpdateStatus: 'Successful',
};

const functions = () => new LambdaFunctions(new LambdaClient({ region: 'eu-west-1' }));
/** Polls without the default second between polls. */
const fast = () =>
  new LambdaFunctions(new LambdaClient({ region: 'eu-west-1' }), { pollDelaySeconds: 0.01 });

beforeEach(() => {
  lambda.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('Class: LambdaFunctions', () => {
  describe('Method: getFunction', () => {
    // moto gives no RevisionId and a malformed ResolvedImageUri: the mapping is shown here.
    it('reads the configuration and code location at a qualifier', async () => {
      lambda.on(GetFunctionCommand).resolves(getFunctionOutput('Successful', { Version: '7' }));
      const config = await functions().getFunction('api', '7');
      expect(config).toEqual({ ...expectedConfig, version: '7' });
      expect(inputsOf(GetFunctionCommand)).toEqual([{ FunctionName: 'api', Qualifier: '7' }]);
    });

    // moto always lists an architecture.
    it('defaults the architecture to x86_64 when Lambda lists none', async () => {
      lambda
        .on(GetFunctionCommand)
        .resolves(getFunctionOutput('Successful', { Architectures: undefined }));
      await expect(functions().getFunction('api')).resolves.toMatchObject({
        architecture: 'x86_64',
      });
    });
  });

  describe('Method: getAlias', () => {
    // moto checks no IAM policy.
    it('throws AccessDeniedError when the role may not read the alias', async () => {
      // Lambda models no AccessDeniedException: the SDK builds a service exception with that name.
      const denied = new LambdaServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        message: 'User is not authorized to perform: lambda:GetAlias',
        $metadata: { httpStatusCode: 403 },
      });
      lambda.on(GetAliasCommand).rejects(denied);
      await expect(functions().getAlias('api', 'live')).rejects.toMatchObject({
        name: 'AccessDeniedError',
      });
    });
  });

  describe('Method: updateCode', () => {
    // moto ignores RevisionId: only the request shows it is sent.
    it('updates $LATEST to the digest-pinned image under the revision check, without publishing', async () => {
      lambda.on(UpdateFunctionCodeCommand).resolves({
        ...getFunctionOutput('InProgress').Configuration,
        RevisionId: 'rev-3',
      });
      const config = await functions().updateCode('api', IMAGE_URI, 'rev-2');
      expect(inputsOf(UpdateFunctionCodeCommand)).toEqual([
        { FunctionName: 'api', ImageUri: IMAGE_URI, RevisionId: 'rev-2', Publish: false },
      ]);
      expect(config).toEqual({
        ...expectedConfig,
        revisionId: 'rev-3',
        lastUpdateStatus: 'InProgress',
      });
    });

    // moto never answers PreconditionFailedException.
    it('throws ConflictError when the revision moved on', async () => {
      lambda
        .on(UpdateFunctionCodeCommand)
        .rejects(
          new PreconditionFailedException({ message: 'RevisionId mismatch', $metadata: {} }),
        );
      await expect(functions().updateCode('api', IMAGE_URI, 'rev-1')).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(`lambda:UpdateFunctionCode api -> ${IMAGE_URI} failed`),
      });
    });
  });

  // moto reports every update Successful at once, so the polling is shown here.
  describe('Method: waitUntilUpdated', () => {
    it('polls GetFunction until the update is Successful and returns that configuration', async () => {
      // Prepare
      vi.useFakeTimers();
      lambda
        .on(GetFunctionCommand)
        .resolvesOnce(getFunctionOutput('InProgress'))
        .rejectsOnce(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }))
        .resolvesOnce(getFunctionOutput('InProgress'))
        .resolves(getFunctionOutput('Successful'));

      // Act
      const waiting = functions().waitUntilUpdated('api', 300);
      await vi.runAllTimersAsync();

      // Assess
      await expect(waiting).resolves.toEqual(expectedConfig);
      expect(inputsOf(GetFunctionCommand)).toEqual(Array(4).fill({ FunctionName: 'api' }));
    });

    it('throws FunctionUpdateFailedError with the reason when the update Failed', async () => {
      vi.useFakeTimers();
      lambda
        .on(GetFunctionCommand)
        .resolvesOnce(getFunctionOutput('InProgress'))
        .resolves(
          getFunctionOutput('Failed', {
            LastUpdateStatusReasonCode: 'ImageAccessDenied',
            LastUpdateStatusReason: 'Lambda does not have permission to access the ECR image.',
          }),
        );
      const waiting = functions().waitUntilUpdated('api', 300);
      const assessed = expect(waiting).rejects.toMatchObject({
        name: 'FunctionUpdateFailedError',
        message:
          'function api update failed: ImageAccessDenied: Lambda does not have permission to access the ECR image.',
      });
      await vi.runAllTimersAsync();
      await assessed;
    });

    // moto checks no IAM policy; a deleted function is shown on moto (the Functions contract).
    it('ends the wait at the first denied read with AccessDeniedError, not at the deadline', async () => {
      vi.useFakeTimers();
      const denied = new LambdaServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        message: 'User is not authorized to perform: lambda:GetFunction',
        $metadata: { httpStatusCode: 403 },
      });
      lambda.on(GetFunctionCommand).resolvesOnce(getFunctionOutput('InProgress')).rejects(denied);
      const waiting = functions().waitUntilUpdated('api', 300);
      const assessed = expect(waiting).rejects.toMatchObject({ name: 'AccessDeniedError' });
      await vi.runAllTimersAsync();
      await assessed;
      expect(lambda.commandCalls(GetFunctionCommand)).toHaveLength(2);
    });

    it('throws FunctionUpdateTimeoutError when the update is still InProgress at the deadline', async () => {
      vi.useFakeTimers();
      const start = Date.now();
      lambda.on(GetFunctionCommand).resolves(getFunctionOutput('InProgress'));
      const waiting = functions().waitUntilUpdated('api', 30);
      const assessed = expect(waiting).rejects.toMatchObject({
        name: 'FunctionUpdateTimeoutError',
        message: expect.stringContaining('function api update not Successful within 30 s (TIMEOUT'),
      });
      await vi.runAllTimersAsync();
      await assessed;
      expect(Date.now() - start).toBeLessThanOrEqual(30_000);
      expect(lambda.commandCalls(GetFunctionCommand).length).toBeGreaterThan(3);
    });

    it('backs off from the configured poll delay', async () => {
      vi.useFakeTimers();
      lambda
        .on(GetFunctionCommand)
        .resolvesOnce(getFunctionOutput('InProgress'))
        .resolves(getFunctionOutput('Successful'));
      const waiting = new LambdaFunctions(new LambdaClient({ region: 'eu-west-1' }), {
        pollDelaySeconds: 4,
      }).waitUntilUpdated('api', 60);
      await vi.advanceTimersByTimeAsync(3_999);
      expect(lambda.commandCalls(GetFunctionCommand)).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      await expect(waiting).resolves.toMatchObject({ lastUpdateStatus: 'Successful' });
    });

    it('shortens the poll delay to fit a wait shorter than it', async () => {
      vi.useFakeTimers();
      lambda
        .on(GetFunctionCommand)
        .resolvesOnce(getFunctionOutput('InProgress'))
        .resolves(getFunctionOutput('Successful'));
      const waiting = functions().waitUntilUpdated('api', 1);
      await vi.runAllTimersAsync();
      await expect(waiting).resolves.toMatchObject({ lastUpdateStatus: 'Successful' });
    });

    it('refuses a wait that is not positive', async () => {
      await expect(functions().waitUntilUpdated('api', 0)).rejects.toMatchObject({
        name: 'InvalidRequestError',
      });
    });
  });

  describe('Method: publishVersion', () => {
    it('publishes under the code and revision checks and reads the new version back', async () => {
      lambda
        .on(PublishVersionCommand)
        .resolves({ FunctionName: 'api', Version: '5', State: 'Active' });
      lambda.on(GetFunctionCommand).resolves(getFunctionOutput('Successful', { Version: '5' }));
      const config = await functions().publishVersion('api', 'a'.repeat(64), 'rev-2');
      expect(inputsOf(PublishVersionCommand)).toEqual([
        { FunctionName: 'api', CodeSha256: 'a'.repeat(64), RevisionId: 'rev-2' },
      ]);
      expect(inputsOf(GetFunctionCommand)).toEqual([{ FunctionName: 'api', Qualifier: '5' }]);
      expect(config).toEqual({ ...expectedConfig, version: '5' });
    });

    // moto's versions are Active at once: only a stand-in can be Pending first, or fail.
    it('waits until a Pending version is Active before returning it', async () => {
      lambda
        .on(PublishVersionCommand)
        .resolves({ FunctionName: 'api', Version: '5', State: 'Pending' });
      lambda
        .on(GetFunctionConfigurationCommand)
        .resolvesOnce({ Version: '5', State: 'Pending' })
        .resolves({ Version: '5', State: 'Active' });
      lambda.on(GetFunctionCommand).resolves(getFunctionOutput('Successful', { Version: '5' }));
      const config = await fast().publishVersion('api', 'a'.repeat(64), 'rev-2');
      expect(inputsOf(GetFunctionConfigurationCommand)).toEqual([
        { FunctionName: 'api', Qualifier: '5' },
        { FunctionName: 'api', Qualifier: '5' },
      ]);
      expect(config.version).toBe('5');
    });

    it('ends the wait for Active at the first denied read with AccessDeniedError, not at the deadline', async () => {
      vi.useFakeTimers();
      lambda
        .on(PublishVersionCommand)
        .resolves({ FunctionName: 'api', Version: '5', State: 'Pending' });
      lambda.on(GetFunctionConfigurationCommand).rejects(
        new LambdaServiceException({
          name: 'AccessDeniedException',
          $fault: 'client',
          message: 'User is not authorized to perform: lambda:GetFunctionConfiguration',
          $metadata: { httpStatusCode: 403 },
        }),
      );
      const publishing = functions().publishVersion('api', 'a'.repeat(64));
      const assessed = expect(publishing).rejects.toMatchObject({ name: 'AccessDeniedError' });
      await vi.runAllTimersAsync();
      await assessed;
      expect(lambda.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(1);
    });

    it('throws FunctionUpdateFailedError with the reason when the version fails', async () => {
      lambda
        .on(PublishVersionCommand)
        .resolves({ FunctionName: 'api', Version: '5', State: 'Pending' });
      lambda.on(GetFunctionConfigurationCommand).resolves({
        Version: '5',
        State: 'Failed',
        StateReasonCode: 'ImageAccessDenied',
        StateReason: 'Lambda does not have permission to access the ECR image',
      });
      await expect(fast().publishVersion('api', 'a'.repeat(64))).rejects.toMatchObject({
        name: 'FunctionUpdateFailedError',
        message: expect.stringContaining('version 5 is Failed: ImageAccessDenied'),
      });
      expect(lambda).not.toHaveReceivedCommand(GetFunctionCommand);
    });

    // moto ignores CodeSha256 on publish; Lambda refuses a mismatch as an invalid parameter.
    it('throws ConflictError when $LATEST has other code than the one checked', async () => {
      lambda.on(PublishVersionCommand).rejects(
        new InvalidParameterValueException({
          message: `CodeSHA256 (${'b'.repeat(64)}) is different from current CodeSHA256 in $LATEST (${'c'.repeat(64)}). Please try again from the beginning.`,
          $metadata: { httpStatusCode: 400 },
        }),
      );
      await expect(functions().publishVersion('api', 'b'.repeat(64))).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining('is different from current CodeSHA256'),
      });
    });

    it('throws ConflictError when $LATEST changed since it was checked', async () => {
      lambda
        .on(PublishVersionCommand)
        .rejects(
          new PreconditionFailedException({ message: 'CodeSha256 mismatch', $metadata: {} }),
        );
      await expect(
        functions().publishVersion('api', 'b'.repeat(64), 'rev-2'),
      ).rejects.toMatchObject({
        name: 'ConflictError',
      });
    });
  });

  describe('Method: setAlias', () => {
    const update = {
      FunctionName: 'api',
      Name: 'live',
      FunctionVersion: '5',
      RoutingConfig: { AdditionalVersionWeights: {} },
    };

    it('points the alias at the version and clears any traffic split', async () => {
      lambda.on(UpdateAliasCommand).resolves({});
      await functions().setAlias('api', 'live', '5');
      expect(inputsOf(UpdateAliasCommand)).toEqual([update]);
      expect(lambda).not.toHaveReceivedCommand(CreateAliasCommand);
    });

    it('creates the alias when it does not exist', async () => {
      // GetAlias tells a missing alias from a missing version; it is missing here.
      lambda
        .on(GetAliasCommand)
        .rejects(new ResourceNotFoundException({ message: 'Alias not found', $metadata: {} }));
      lambda
        .on(UpdateAliasCommand)
        .rejects(new ResourceNotFoundException({ message: 'Alias not found', $metadata: {} }));
      lambda.on(CreateAliasCommand).resolves({});
      await functions().setAlias('api', 'live', '5');
      expect(inputsOf(CreateAliasCommand)).toEqual([
        { FunctionName: 'api', Name: 'live', FunctionVersion: '5' },
      ]);
    });

    it('updates again when another writer created the alias in between', async () => {
      // GetAlias tells a missing alias from a missing version; it is missing here.
      lambda
        .on(GetAliasCommand)
        .rejects(new ResourceNotFoundException({ message: 'Alias not found', $metadata: {} }));
      lambda
        .on(UpdateAliasCommand)
        .rejectsOnce(new ResourceNotFoundException({ message: 'Alias not found', $metadata: {} }))
        .resolves({});
      lambda
        .on(CreateAliasCommand)
        .rejects(new ResourceConflictException({ message: 'Alias already exists', $metadata: {} }));
      await functions().setAlias('api', 'live', '5');
      expect(inputsOf(UpdateAliasCommand)).toEqual([update, update]);
    });

    it('throws NotFoundError when the version does not exist either', async () => {
      // GetAlias tells a missing alias from a missing version; it is missing here.
      lambda
        .on(GetAliasCommand)
        .rejects(new ResourceNotFoundException({ message: 'Alias not found', $metadata: {} }));
      const missing = new ResourceNotFoundException({
        message: 'Function not found',
        $metadata: {},
      });
      lambda.on(UpdateAliasCommand).rejects(missing);
      lambda.on(CreateAliasCommand).rejects(missing);
      await expect(functions().setAlias('api', 'live', '99')).rejects.toMatchObject({
        name: 'NotFoundError',
        message: expect.stringContaining('lambda:CreateAlias api:live -> 99 failed'),
      });
    });
  });

  // moto invokes image functions only in Docker.
  describe('Method: invoke', () => {
    const requestId = '6f1c2a9e-0b7d-4c1e-9d2f-3a4b5c6d7e8f';
    const tail = [
      `START RequestId: ${requestId} Version: 5`,
      `2026-03-01T10:00:00.123Z\t${requestId}\tINFO\tsmoke ok`,
      `END RequestId: ${requestId}`,
      `REPORT RequestId: ${requestId}\tDuration: 12.34 ms\tBilled Duration: 571 ms\tMemory Size: 512 MB\tMax Memory Used: 80 MB\tInit Duration: 558.21 ms\t`,
      '',
    ].join('\n');

    it('invokes the qualifier synchronously with the log tail and parses the REPORT line', async () => {
      // Prepare
      lambda.on(InvokeCommand).resolves({
        StatusCode: 200,
        Payload: blob('{"ok":true}'),
        LogResult: Buffer.from(tail).toString('base64'),
        ExecutedVersion: '5',
      });

      // Act
      const result = await functions().invoke('api', 'live', '{"ping":1}');

      // Assess
      expect(inputsOf(InvokeCommand)).toEqual([
        {
          FunctionName: 'api',
          Qualifier: 'live',
          Payload: new TextEncoder().encode('{"ping":1}'),
          LogType: 'Tail',
          InvocationType: 'RequestResponse',
        },
      ]);
      expect(result).toEqual({
        statusCode: 200,
        payload: '{"ok":true}',
        logTail: tail,
        executedVersion: '5',
        report: {
          requestId,
          durationMs: 12.34,
          billedDurationMs: 571,
          memorySizeMb: 512,
          maxMemoryUsedMb: 80,
          initDurationMs: 558.21,
          status: null,
          errorType: null,
        },
      });
    });

    it('reports a FunctionError with the error payload', async () => {
      lambda.on(InvokeCommand).resolves({
        StatusCode: 200,
        FunctionError: 'Unhandled',
        Payload: blob('{"errorType":"Error","errorMessage":"boom"}'),
        ExecutedVersion: '5',
      });
      const result = await functions().invoke('api', '5', '{}');
      expect(result).toMatchObject({
        functionError: 'Unhandled',
        payload: '{"errorType":"Error","errorMessage":"boom"}',
        logTail: '',
        report: null,
      });
    });

    it('throws TransientError when Lambda throttles the invoke', async () => {
      lambda.on(InvokeCommand).rejects(
        new TooManyRequestsException({
          message: 'Rate exceeded',
          $metadata: { httpStatusCode: 429 },
        }),
      );
      await expect(functions().invoke('api', 'live', '{}')).rejects.toMatchObject({
        name: 'TransientError',
        message: 'lambda:Invoke api:live failed: TooManyRequestsException: Rate exceeded',
      });
    });
  });

  // moto invokes image functions only in Docker.
  describe('Method: invokeConcurrently', () => {
    const throttled = () =>
      new TooManyRequestsException({
        message: 'Rate exceeded',
        $metadata: { httpStatusCode: 429 },
      });

    it('sends the invokes at once, each its own request (its own environment on a new version)', async () => {
      let inFlight = 0;
      let peak = 0;
      lambda.on(InvokeCommand).callsFake(async () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight -= 1;
        return { StatusCode: 200, Payload: blob('{"ok":true}'), ExecutedVersion: '5' };
      });

      const results = await functions().invokeConcurrently('api', '5', '{"ping":1}', 5);

      expect(results).toHaveLength(5);
      expect(peak).toBe(5);
      expect(inputsOf(InvokeCommand)).toHaveLength(5);
      expect(inputsOf(InvokeCommand)[0]).toMatchObject({ Qualifier: '5', LogType: 'Tail' });
    });

    it('leaves out invokes that were throttled: one sample fewer each', async () => {
      lambda
        .on(InvokeCommand)
        .rejectsOnce(throttled())
        .resolves({ StatusCode: 200, Payload: blob('{}'), ExecutedVersion: '5' });

      await expect(functions().invokeConcurrently('api', '5', '{}', 3)).resolves.toHaveLength(2);
    });

    it('throws the first error when none ran', async () => {
      lambda.on(InvokeCommand).rejects(throttled());

      await expect(functions().invokeConcurrently('api', '5', '{}', 3)).rejects.toMatchObject({
        name: 'TransientError',
      });
    });
  });
});

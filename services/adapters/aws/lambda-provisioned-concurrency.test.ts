/**
 * LambdaFunctions' provisioned-concurrency calls against Lambda's errors, which neither moto (it
 * has no such routes) nor the local host's API can produce: throttling, an unknown status, a
 * delete that Lambda answers "not found".
 */
import {
  DeleteProvisionedConcurrencyConfigCommand,
  GetFunctionCommand,
  GetProvisionedConcurrencyConfigCommand,
  LambdaClient,
  ProvisionedConcurrencyConfigNotFoundException,
  PutProvisionedConcurrencyConfigCommand,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { LambdaFunctions } from './lambda-functions.ts';

const lambda = mockClient(LambdaClient);
const functions = () => new LambdaFunctions(new LambdaClient({ region: 'eu-west-1' }));
const notFound = (message: string) => new ResourceNotFoundException({ message, $metadata: {} });

beforeEach(() => {
  lambda.reset();
});

describe('Class: LambdaFunctions (provisioned concurrency)', () => {
  it('puts the count on the version and returns the status Lambda answers', async () => {
    lambda.on(PutProvisionedConcurrencyConfigCommand).resolves({
      RequestedProvisionedConcurrentExecutions: 3,
      AllocatedProvisionedConcurrentExecutions: 0,
      AvailableProvisionedConcurrentExecutions: 0,
      Status: 'IN_PROGRESS',
    });

    const put = await functions().putProvisionedConcurrency('api', '7', 3);

    expect(put).toEqual({ requested: 3, allocated: 0, available: 0, status: 'IN_PROGRESS' });
    expect(lambda.commandCalls(PutProvisionedConcurrencyConfigCommand)[0]?.args[0].input).toEqual({
      FunctionName: 'api',
      Qualifier: '7',
      ProvisionedConcurrentExecutions: 3,
    });
  });

  it('reads FAILED with its reason, and an unknown status as not READY', async () => {
    lambda
      .on(GetProvisionedConcurrencyConfigCommand)
      .resolvesOnce({
        RequestedProvisionedConcurrentExecutions: 2,
        Status: 'FAILED',
        StatusReason: 'FUNCTION_ERROR_INIT_FAILURE',
      })
      .resolvesOnce({ RequestedProvisionedConcurrentExecutions: 2, Status: 'WARMING' as never });

    await expect(functions().getProvisionedConcurrency('api', '7')).resolves.toEqual({
      requested: 2,
      allocated: 0,
      available: 0,
      status: 'FAILED',
      statusReason: 'FUNCTION_ERROR_INIT_FAILURE',
    });
    await expect(functions().getProvisionedConcurrency('api', '7')).resolves.toMatchObject({
      status: 'IN_PROGRESS',
    });
  });

  it('reads null when the version has none', async () => {
    lambda
      .on(GetProvisionedConcurrencyConfigCommand)
      .rejects(
        new ProvisionedConcurrencyConfigNotFoundException({ message: 'none', $metadata: {} }),
      );
    await expect(functions().getProvisionedConcurrency('api', '7')).resolves.toBeNull();
  });

  it('throws TransientError when Lambda throttles', async () => {
    lambda
      .on(PutProvisionedConcurrencyConfigCommand)
      .rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    await expect(functions().putProvisionedConcurrency('api', '7', 1)).rejects.toMatchObject({
      name: 'TransientError',
      message: expect.stringContaining('lambda:PutProvisionedConcurrencyConfig api:7'),
    });
  });

  it('deletes idempotently: "not found" on a version that exists is success', async () => {
    lambda.on(DeleteProvisionedConcurrencyConfigCommand).rejects(notFound('No config'));
    lambda.on(GetFunctionCommand).resolves({ Configuration: { Version: '7' } });

    await expect(functions().deleteProvisionedConcurrency('api', '7')).resolves.toBeUndefined();
    expect(lambda.commandCalls(GetFunctionCommand)[0]?.args[0].input).toEqual({
      FunctionName: 'api',
      Qualifier: '7',
    });
  });

  it('throws NotFoundError from delete when the version itself does not exist', async () => {
    lambda.on(DeleteProvisionedConcurrencyConfigCommand).rejects(notFound('No config'));
    lambda.on(GetFunctionCommand).rejects(notFound('Function not found'));

    await expect(functions().deleteProvisionedConcurrency('api', '9')).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'lambda:GetFunction api:9 failed: ResourceNotFoundException: Function not found',
    });
  });

  it('refuses $LATEST before calling Lambda', async () => {
    await expect(functions().putProvisionedConcurrency('api', '$LATEST', 1)).rejects.toMatchObject({
      name: 'InvalidRequestError',
    });
    expect(lambda.calls()).toHaveLength(0);
  });
});

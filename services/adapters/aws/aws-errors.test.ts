import {
  ConditionalCheckFailedException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import {
  LimitExceededException as EcrLimitExceeded,
  ImageNotFoundException,
  ImageTagAlreadyExistsException,
  LayersNotFoundException,
  RepositoryNotFoundException,
  ServerException,
  ValidationException,
} from '@aws-sdk/client-ecr';
import {
  InvalidParameterValueException,
  KMSAccessDeniedException,
  LambdaServiceException,
  PreconditionFailedException,
  ResourceConflictException,
  ResourceNotFoundException,
  ServiceException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { ExecutionLimitExceeded, KmsThrottlingException } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, TransientError } from '../../core/errors.ts';
import { isAwsErrorNamed, toFerryError } from './aws-errors.ts';

const meta = (httpStatusCode?: number) => ({ $metadata: { httpStatusCode } });

/** An SDK-shaped error the services modelled no class for (what the SDK makes of an unknown code). */
function unmodelled(name: string, httpStatusCode?: number): Error {
  return new LambdaServiceException({
    name,
    $fault: httpStatusCode && httpStatusCode >= 500 ? 'server' : 'client',
    message: `${name} happened`,
    ...meta(httpStatusCode),
  });
}

function networkError(code: string): Error {
  return Object.assign(new Error(`socket: ${code}`), { code });
}

describe('Function: toFerryError', () => {
  it.each([
    ['ThrottlingException', unmodelled('ThrottlingException', 400), 'TransientError'],
    [
      'TooManyRequestsException',
      new TooManyRequestsException({ message: 'Rate exceeded', ...meta(429) }),
      'TransientError',
    ],
    [
      'RequestLimitExceeded',
      new RequestLimitExceeded({ message: 'slow down', ...meta(400) }),
      'TransientError',
    ],
    [
      'ProvisionedThroughputExceededException',
      new ProvisionedThroughputExceededException({ message: 'hot', ...meta(400) }),
      'TransientError',
    ],
    ['ServiceException', new ServiceException({ message: 'boom', ...meta(500) }), 'TransientError'],
    [
      'ECR ServerException',
      new ServerException({ message: 'boom', ...meta(500) }),
      'TransientError',
    ],
    [
      'DynamoDB InternalServerError',
      new InternalServerError({ message: 'boom', ...meta(500) }),
      'TransientError',
    ],
    ['an unmodelled 503', unmodelled('SomethingOdd', 503), 'TransientError'],
    [
      'TimeoutError',
      Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }),
      'TransientError',
    ],
    ['ECONNRESET', networkError('ECONNRESET'), 'TransientError'],
    ['ETIMEDOUT', networkError('ETIMEDOUT'), 'TransientError'],
    [
      'a network code in the cause',
      new TypeError('fetch failed', { cause: networkError('ECONNREFUSED') }),
      'TransientError',
    ],
    ['AccessDeniedException', unmodelled('AccessDeniedException', 403), 'AccessDeniedError'],
    ['AccessDenied', unmodelled('AccessDenied', 403), 'AccessDeniedError'],
    ['UnauthorizedOperation', unmodelled('UnauthorizedOperation', 403), 'AccessDeniedError'],
    [
      'KMSAccessDeniedException',
      new KMSAccessDeniedException({ message: 'kms', ...meta(502) }),
      'AccessDeniedError',
    ],
    ['an unmodelled 403', unmodelled('Forbidden', 403), 'AccessDeniedError'],
    [
      'ResourceConflictException',
      new ResourceConflictException({ message: 'update in progress', ...meta(409) }),
      'ConflictError',
    ],
    [
      'PreconditionFailedException',
      new PreconditionFailedException({ message: 'revision', ...meta(412) }),
      'ConflictError',
    ],
    [
      'ConditionalCheckFailedException',
      new ConditionalCheckFailedException({ message: 'cond', ...meta(400) }),
      'ConflictError',
    ],
    [
      'ResourceInUseException',
      new ResourceInUseException({ message: 'busy', ...meta(400) }),
      'ConflictError',
    ],
    [
      'ImageTagAlreadyExistsException',
      new ImageTagAlreadyExistsException({ message: 'immutable', ...meta(400) }),
      'ConflictError',
    ],
    [
      'ResourceNotFoundException',
      new ResourceNotFoundException({ message: 'Function not found', ...meta(404) }),
      'NotFoundError',
    ],
    [
      'ImageNotFoundException',
      new ImageNotFoundException({ message: 'no image', ...meta(400) }),
      'NotFoundError',
    ],
    [
      'RepositoryNotFoundException',
      new RepositoryNotFoundException({ message: 'no repo', ...meta(400) }),
      'NotFoundError',
    ],
    [
      'LayersNotFoundException',
      new LayersNotFoundException({ message: 'no layer', ...meta(400) }),
      'NotFoundError',
    ],
    [
      'InvalidParameterValueException',
      new InvalidParameterValueException({ message: 'bad', ...meta(400) }),
      'InvalidRequestError',
    ],
    [
      'ValidationException',
      new ValidationException({ message: 'bad', ...meta(400) }),
      'InvalidRequestError',
    ],
    ['an unmodelled 400', unmodelled('WeirdClientThing', 400), 'InvalidRequestError'],
  ])('maps %s to %s', (_label, error, expected) => {
    const mapped = toFerryError(error, 'lambda:UpdateFunctionCode api');
    expect(mapped.name).toBe(expected);
    expect(mapped.cause).toBe(error);
  });

  it.each([
    // A hard quota (images per repository, layer parts): waiting does not lift it.
    [
      'ECR LimitExceededException',
      'ecr:PutImage team/api',
      new EcrLimitExceeded({ message: 'quota', ...meta(400) }),
      'InvalidRequestError',
    ],
    // The generic name is throttling elsewhere, as the SDK classifies it.
    [
      'LimitExceededException elsewhere',
      'cloudwatch:GetMetricData f',
      unmodelled('LimitExceededException', 400),
      'TransientError',
    ],
    // Too many open executions: they end, and the start succeeds later.
    [
      'SFN ExecutionLimitExceeded',
      'states:StartExecution d-1',
      new ExecutionLimitExceeded({ message: 'too many', ...meta(400) }),
      'TransientError',
    ],
    [
      'SFN KmsThrottlingException',
      'states:StartExecution d-1',
      new KmsThrottlingException({ message: 'kms', ...meta(400) }),
      'TransientError',
    ],
    // The credential provider hands the next attempt fresh credentials.
    [
      'ExpiredTokenException',
      'lambda:GetFunction f',
      unmodelled('ExpiredTokenException', 400),
      'TransientError',
    ],
    ['ExpiredToken', 'dynamodb:GetItem t', unmodelled('ExpiredToken', 403), 'TransientError'],
  ])('maps %s (%s) by the service that raised it', (_label, context, error, expected) => {
    expect(toFerryError(error, context).name).toBe(expected);
  });

  it('maps an error the SDK marks $retryable to TransientError', () => {
    const error = unmodelled('OddButRetryable', 400);
    Object.assign(error, { $retryable: { throttling: false } });
    expect(toFerryError(error, 'ecr:PutImage x').name).toBe('TransientError');
  });

  it('names the call, the original error name and its message', () => {
    const error = new ResourceConflictException({
      message: 'An update is in progress for resource: arn:aws:lambda:…:function:api',
      $metadata: {},
    });
    const mapped = toFerryError(error, 'lambda:UpdateFunctionCode api');
    expect(mapped).toBeInstanceOf(ConflictError);
    expect(mapped.message).toBe(
      'lambda:UpdateFunctionCode api failed: ResourceConflictException: An update is in progress for resource: arn:aws:lambda:…:function:api',
    );
  });

  it('passes Ferry errors through unchanged', () => {
    const error = new NotFoundError('deployment d-1 not found');
    expect(toFerryError(error, 'dynamodb:GetItem d-1')).toBe(error);
  });

  it('returns an unclassifiable error as it is', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'Configuration')");
    expect(toFerryError(bug, 'lambda:GetFunction api')).toBe(bug);
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError', code: 'ECONNRESET' });
    expect(toFerryError(abort, 'lambda:GetFunction api')).toBe(abort);
  });

  it('wraps a thrown non-error with the call in the message', () => {
    const mapped = toFerryError('nope', 'ecr:PutImage team/api:live');
    expect(mapped).not.toBeInstanceOf(TransientError);
    expect(mapped.message).toBe('ecr:PutImage team/api:live failed: nope');
    expect(mapped.cause).toBe('nope');
  });
});

describe('Function: isAwsErrorNamed', () => {
  it('matches an SDK exception by name', () => {
    const error = new ResourceNotFoundException({ message: 'gone', $metadata: {} });
    expect(isAwsErrorNamed(error, 'ResourceNotFoundException')).toBe(true);
    expect(isAwsErrorNamed(error, 'ResourceConflictException')).toBe(false);
  });

  it('is false for values that are not errors', () => {
    expect(isAwsErrorNamed(undefined, 'ResourceNotFoundException')).toBe(false);
    expect(isAwsErrorNamed('ResourceNotFoundException', 'ResourceNotFoundException')).toBe(false);
  });
});

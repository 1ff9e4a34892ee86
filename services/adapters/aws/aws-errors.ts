/**
 * Maps AWS SDK v3 errors to Ferry's named errors (services/core/errors.ts) for every AWS
 * adapter (ECR, Lambda, DynamoDB). The ASL retries only TransientError of ours, so this
 * mapping decides what a workflow retries: when unsure, it does not claim "transient".
 */
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { SdkError } from '@smithy/types';
import {
  AccessDeniedError,
  ConflictError,
  FERRY_ERROR_NAMES,
  InvalidRequestError,
  NotFoundError,
  TransientError,
} from '../../core/errors.ts';

// The SDK's own retry classification (@smithy/core) decides throttling and transience; these
// add what it leaves out for the services Ferry calls.
const ALSO_TRANSIENT = new Set([
  'TransactionConflictException', // DynamoDB: another transaction touched the item; retry
  'ExecutionLimitExceeded', // Step Functions: too many open executions; they end
  'KmsThrottlingException', // Step Functions' KMS calls, throttled
  'ExpiredTokenException', // the credential provider hands the next attempt fresh credentials
  'ExpiredToken',
  'ServiceException',
  'ServerException',
  'InternalServerError',
  'InternalServerException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);
/** Network codes the SDK's list lacks (undici's, an aborted connection). */
const ALSO_NETWORK_CODES = new Set(['ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);
/** Names the SDK calls throttling that are hard quotas in one service: no retry lifts them. */
const QUOTA_BY_SERVICE: Readonly<Record<string, ReadonlySet<string>>> = {
  ecr: new Set(['LimitExceededException']),
};
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);
const CONFLICT = new Set([
  'ResourceConflictException',
  'PreconditionFailedException',
  'ConditionalCheckFailedException',
  'ResourceInUseException',
  'ImageTagAlreadyExistsException',
]);
const NOT_FOUND = new Set([
  'ResourceNotFoundException',
  'ImageNotFoundException',
  'RepositoryNotFoundException',
  'LayersNotFoundException',
  'LayerInaccessibleException',
]);
const INVALID = new Set([
  'InvalidParameterValueException',
  'ValidationException',
  'InvalidParameterException',
  'InvalidRequestContentException',
]);

/** The fields of an SDK v3 error (ServiceException, or a client-side error) this mapping reads. */
interface AwsErrorLike {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly cause?: unknown;
  readonly $fault?: unknown;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

/** True when `error` is an error (an SDK exception, usually) whose `name` is `name`. */
export function isAwsErrorNamed<N extends string>(
  error: unknown,
  name: N,
): error is Error & { name: N } {
  return typeof error === 'object' && error !== null && (error as AwsErrorLike).name === name;
}

function hasNetworkCode(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const { code, cause } = error as AwsErrorLike;
  return (
    (typeof code === 'string' && ALSO_NETWORK_CODES.has(code)) || hasNetworkCode(cause, depth + 1)
  );
}

type FerryErrorClass = new (message: string, options?: { cause?: unknown }) => Error;

function classify(error: AwsErrorLike, service: string): FerryErrorClass | null {
  const name = typeof error.name === 'string' ? error.name : '';
  const status =
    typeof error.$metadata?.httpStatusCode === 'number' ? error.$metadata.httpStatusCode : 0;
  if (name === 'AbortError') return null; // someone cancelled on purpose: never a retry
  if (QUOTA_BY_SERVICE[service]?.has(name)) return InvalidRequestError;
  const sdk = error as SdkError;
  if (isThrottlingError(sdk) || ALSO_TRANSIENT.has(name)) return TransientError;
  // Suffix match also covers KMSAccessDeniedException and EC2AccessDeniedException (5xx, yet no retry helps).
  if (ACCESS_DENIED.has(name) || name.endsWith('AccessDeniedException')) return AccessDeniedError;
  if (CONFLICT.has(name)) return ConflictError;
  if (NOT_FOUND.has(name)) return NotFoundError;
  if (INVALID.has(name)) return InvalidRequestError;
  if (isTransientError(sdk) || hasNetworkCode(error)) return TransientError;
  if (isServerError(sdk) || error.$fault === 'server') return TransientError;
  if (status === 403) return AccessDeniedError;
  if (status === 404) return NotFoundError;
  if (status === 409 || status === 412) return ConflictError;
  if (status >= 400) return InvalidRequestError;
  return null;
}

/**
 * Maps an error from an AWS call to a Ferry error whose message names the call (`context`, e.g.
 * `ecr:BatchGetImage team/api@sha256:…`) and the original name and message, with the original
 * as `cause`. Ferry errors pass through unchanged. An error this cannot classify — no known
 * name, no HTTP status, not marked retryable (a bug, an abort) — is returned as it is: calling
 * it transient would retry a bug, calling it invalid would hide one; the ASL's States.ALL
 * catcher handles it.
 */
export function toFerryError(error: unknown, context: string): Error {
  if (typeof error !== 'object' || error === null) {
    return new Error(`${context} failed: ${String(error)}`, { cause: error });
  }
  const like = error as AwsErrorLike;
  if (error instanceof Error && (FERRY_ERROR_NAMES as readonly string[]).includes(error.name)) {
    return error;
  }
  const Mapped = classify(like, context.split(':')[0] ?? '');
  if (!Mapped)
    return error instanceof Error ? error : new Error(`${context} failed`, { cause: error });
  const name = typeof like.name === 'string' ? like.name : 'Error';
  const message = typeof like.message === 'string' && like.message ? like.message : '(no message)';
  return new Mapped(`${context} failed: ${name}: ${message}`, { cause: error });
}

/**
 * Ferry's named errors. Step Functions matches `ErrorEquals` against the error's `name`
 * exactly (a Lambda's `errorType`), so each class sets a literal name that survives
 * minification, and the ASL may only name errors listed here.
 */

/** Base class: every Ferry error carries its literal name and the original error as `cause`. */
export abstract class FerryError extends Error {
  abstract override readonly name: FerryErrorName;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A call failed for a reason that may pass (throttling, 5xx, network, SDK timeout): retried by the ASL. */
export class TransientError extends FerryError {
  override readonly name = 'TransientError' as const;
  /** `workflow-unavailable`: a deployment was recorded but its workflow could not start (`deploymentId`). */
  readonly kind: 'unavailable' | 'workflow-unavailable';
  readonly deploymentId: string | undefined;
  constructor(
    message: string,
    options: {
      cause?: unknown;
      kind?: 'unavailable' | 'workflow-unavailable';
      deploymentId?: string;
    } = {},
  ) {
    super(message, options);
    this.kind = options.kind ?? 'unavailable';
    this.deploymentId = options.deploymentId;
  }
}

/** Finer reasons for an InvalidRequestError that entry points answer differently. */
export type InvalidRequestKind = 'validation' | 'invalid-cursor' | 'idempotency-key-reuse';

/** The input is malformed or names something that cannot be deployed: never retried. */
export class InvalidRequestError extends FerryError {
  override readonly name = 'InvalidRequestError' as const;
  readonly kind: InvalidRequestKind;
  /** Which input was wrong (`source.url`), when one field was. */
  readonly field: string | undefined;
  constructor(
    message: string,
    options: { cause?: unknown; kind?: InvalidRequestKind; field?: string } = {},
  ) {
    super(message, options);
    this.kind = options.kind ?? 'validation';
    this.field = options.field;
  }
}

/** Finer reasons for a ConflictError that entry points answer differently. */
export type ConflictKind =
  /** Another deployment of the function holds its lock (`holder`). */
  | 'function-locked'
  /** A request with the same Idempotency-Key is still being recorded (`deploymentId`). */
  | 'request-in-flight'
  /** A rollback found no release to go back to. */
  | 'nothing-to-roll-back-to'
  /** A rollback to a release whose image `ferry gc` removed (`deploymentId`). */
  | 'image-collected'
  /** Approve or abort of a deployment that is not RUNNING (ended, or not started yet). */
  | 'not-running'
  /** Approve of a deployment that is not waiting for an approval. */
  | 'not-awaiting-approval'
  /** Approve of a deployment someone aborted. */
  | 'already-aborted'
  /** A rule for a repository whose pushes never reach Ferry (`repository`). */
  | 'repository-not-watched'
  /** Anything else: a lost conditional write, a stale revision, a configured value. */
  | 'conflict';

/** A conditional write or revision check lost: another deployment or person changed the thing. */
export class ConflictError extends FerryError {
  override readonly name = 'ConflictError' as const;
  readonly kind: ConflictKind;
  /** The deployment holding the function's lock (`function-locked`); null when it was not seen. */
  readonly holder: string | null | undefined;
  /** The deployment the conflict is about, when one is. */
  readonly deploymentId: string | undefined;
  constructor(
    message: string,
    options: {
      cause?: unknown;
      kind?: ConflictKind;
      holder?: string | null;
      deploymentId?: string;
    } = {},
  ) {
    super(message, options);
    this.kind = options.kind ?? 'conflict';
    this.holder = options.holder;
    this.deploymentId = options.deploymentId;
  }
}

/** The deployment, function, alias or image does not exist. */
export class NotFoundError extends FerryError {
  override readonly name = 'NotFoundError' as const;
  /** `function-not-registered`: the function exists for Lambda, perhaps, but Ferry has no settings for it. */
  readonly kind: 'not-found' | 'function-not-registered';
  constructor(
    message: string,
    options: { cause?: unknown; kind?: 'not-found' | 'function-not-registered' } = {},
  ) {
    super(message, options);
    this.kind = options.kind ?? 'not-found';
  }
}

/** The caller (a worker's role, an API principal) may not perform the call. */
export class AccessDeniedError extends FerryError {
  override readonly name = 'AccessDeniedError' as const;
  /** The function's allowed repositories, when those are what refused. */
  readonly allowedRepositories: readonly string[] | undefined;
  constructor(
    message: string,
    options: { cause?: unknown; allowedRepositories?: readonly string[] } = {},
  ) {
    super(message, options);
    this.allowedRepositories = options.allowedRepositories;
  }
}

/** The image the function runs now is gone from the registry, so a rollback could not restore it. */
export class LiveImageMissingError extends FerryError {
  override readonly name = 'LiveImageMissingError' as const;
}

/** Lambda reported `LastUpdateStatus: Failed` for a code update. */
export class FunctionUpdateFailedError extends FerryError {
  override readonly name = 'FunctionUpdateFailedError' as const;
}

/** A code update did not reach `Successful` within the bounded wait. */
export class FunctionUpdateTimeoutError extends FerryError {
  override readonly name = 'FunctionUpdateTimeoutError' as const;
}

/** Putting the previous release back did not leave the function as it was. */
export class RollbackFailedError extends FerryError {
  override readonly name = 'RollbackFailedError' as const;
}

/** Provisioned concurrency on the new version failed, or was not READY within the bounded wait. */
export class ProvisioningFailedError extends FerryError {
  override readonly name = 'ProvisioningFailedError' as const;
  /** `failed`: Lambda reported FAILED; `timeout`: not READY in time. */
  readonly kind: 'failed' | 'timeout';
  readonly version: string;
  constructor(
    message: string,
    options: { cause?: unknown; kind: 'failed' | 'timeout'; version: string },
  ) {
    super(message, options);
    this.kind = options.kind;
    this.version = options.version;
  }
}

/**
 * A stored item does not have the shape Ferry reads (a bug, a hand edit, a shape no reader knows):
 * never retried; the message names the item and the field.
 */
export class CorruptItemError extends FerryError {
  override readonly name = 'CorruptItemError' as const;
}

/** Every Ferry error name: the ASL's `ErrorEquals` lists may use only these, AWS's names below and `States.*`. */
export const FERRY_ERROR_NAMES = [
  'TransientError',
  'InvalidRequestError',
  'ConflictError',
  'NotFoundError',
  'AccessDeniedError',
  'LiveImageMissingError',
  'FunctionUpdateFailedError',
  'FunctionUpdateTimeoutError',
  'RollbackFailedError',
  'ProvisioningFailedError',
  'CorruptItemError',
] as const;

/** The literal name of a Ferry error. */
export type FerryErrorName = (typeof FERRY_ERROR_NAMES)[number];

/** Errors the Lambda service itself raises around an invocation; every Task retries them. */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

/** Errors CodeBuild's `startBuild` may raise that pass with time (account build concurrency). */
export const CODEBUILD_TRANSIENT_ERRORS = ['CodeBuild.AccountLimitExceededException'] as const;

/** Each Ferry error's class by its literal name. */
interface FerryErrorsByName {
  TransientError: TransientError;
  InvalidRequestError: InvalidRequestError;
  ConflictError: ConflictError;
  NotFoundError: NotFoundError;
  AccessDeniedError: AccessDeniedError;
  LiveImageMissingError: LiveImageMissingError;
  FunctionUpdateFailedError: FunctionUpdateFailedError;
  FunctionUpdateTimeoutError: FunctionUpdateTimeoutError;
  RollbackFailedError: RollbackFailedError;
  ProvisioningFailedError: ProvisioningFailedError;
  CorruptItemError: CorruptItemError;
}

/** True when `error` is a Ferry error of the given name (works across bundles: compares names). */
export function isFerryError<N extends FerryErrorName>(
  error: unknown,
  name: N,
): error is FerryErrorsByName[N] {
  return error instanceof Error && error.name === name;
}

/** The error's name and message, for records and logs (never the stack). */
export function describeError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

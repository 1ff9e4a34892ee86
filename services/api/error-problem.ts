import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { isGcLockOwner } from '../app/gc-lock.ts';
import { type ConflictError, describeError, isFerryError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { ApiProblem, validationProblem } from './problem.ts';

const isZodError = (
  error: unknown,
): error is { issues: { path: PropertyKey[]; message: string }[] } =>
  error instanceof Error &&
  error.name === 'ZodError' &&
  Array.isArray((error as { issues?: unknown }).issues);

/**
 * Maps anything a route throws to a problem: Ferry's named errors by name (they cross bundles),
 * Hono's own 4xx, zod failures. Anything else is a 500 whose body says nothing about the cause;
 * the cause goes to the log only.
 */
export function toProblem(error: unknown, c: Context, logger: Logger): ApiProblem {
  if (error instanceof ApiProblem) return error;
  if (error instanceof HTTPException && error.status === 400)
    return new ApiProblem(
      400,
      'validation',
      `the request body is not valid JSON (${error.message})`,
    );
  if (error instanceof HTTPException && error.status === 413)
    return new ApiProblem(413, 'payload-too-large', 'the request body is too large');
  if (error instanceof HTTPException && error.status === 415)
    return new ApiProblem(415, 'unsupported-media-type', 'send the body as application/json');
  if (isZodError(error)) return validationProblem(error.issues);
  const mapped = ferryProblem(error);
  if (mapped) {
    if (mapped.status === 503) {
      const { name, message } = describeError(error);
      logger.warn('dependency unavailable', { path: c.req.path, error: name, message });
    }
    return mapped;
  }
  const { name, message } = describeError(error);
  logger.error('unhandled API error', {
    path: c.req.path,
    method: c.req.method,
    error: name,
    message,
  });
  return new ApiProblem(500, 'internal', 'an internal error occurred; it has been logged');
}

/**
 * The problem a use case's named error stands for: by name, then by the error's structured
 * `kind` and fields (never by its message). Null for errors that are not Ferry's named ones.
 */
export function ferryProblem(error: unknown): ApiProblem | null {
  if (isFerryError(error, 'InvalidRequestError')) {
    if (error.kind === 'invalid-cursor')
      return new ApiProblem(
        400,
        'invalid-cursor',
        'the cursor is not one this API issued for this function: start again from the first page',
      );
    if (error.kind === 'idempotency-key-reuse')
      return new ApiProblem(422, 'idempotency-key-reuse', error.message);
    const errors = error.field ? { errors: [{ path: error.field, message: error.message }] } : {};
    return new ApiProblem(400, 'validation', error.message, errors);
  }
  if (isFerryError(error, 'NotFoundError')) return new ApiProblem(404, error.kind, error.message);
  if (isFerryError(error, 'ConflictError')) return conflictProblem(error);
  if (isFerryError(error, 'AccessDeniedError')) {
    const allowed = error.allowedRepositories;
    return new ApiProblem(
      403,
      'forbidden',
      error.message,
      allowed ? { allowedRepositories: allowed } : {},
    );
  }
  if (isFerryError(error, 'TransientError'))
    return error.kind === 'workflow-unavailable'
      ? new ApiProblem(503, 'workflow-unavailable', error.message, { id: error.deploymentId })
      : new ApiProblem(503, 'unavailable', 'a dependency is busy or unreachable: retry shortly');
  return null;
}

function conflictProblem(error: ConflictError): ApiProblem {
  switch (error.kind) {
    case 'function-locked': {
      const holder = error.holder ?? null;
      if (isGcLockOwner(holder))
        return new ApiProblem(
          409,
          'deployment-in-progress',
          `${error.message}: ferry gc is removing unused images and versions; try again in a minute`,
          { holder },
        );
      return new ApiProblem(
        409,
        'deployment-in-progress',
        `${error.message}: wait for it (ferry status ${holder ?? '<id>'} --wait) and try again`,
        { holder },
      );
    }
    case 'nothing-to-roll-back-to':
      return new ApiProblem(409, 'nothing-to-roll-back-to', error.message);
    case 'repository-not-watched':
      return new ApiProblem(409, error.kind, error.message);
    case 'image-collected':
      return new ApiProblem(409, error.kind, error.message, { id: error.deploymentId ?? null });
    case 'not-running':
    case 'not-awaiting-approval':
    case 'already-aborted':
      return new ApiProblem(409, error.kind, error.message, { id: error.deploymentId ?? null });
    default:
      return new ApiProblem(
        409,
        'conflict',
        error.message,
        error.deploymentId ? { id: error.deploymentId } : {},
      );
  }
}

import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describeError } from '../core/errors.ts';
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
  const { name, message } = describeError(error);
  switch (name) {
    case 'InvalidRequestError':
      return message === 'invalid cursor'
        ? new ApiProblem(
            400,
            'invalid-cursor',
            'the cursor is not one this API issued for this function: start again from the first page',
          )
        : new ApiProblem(400, 'validation', message);
    case 'NotFoundError':
      return new ApiProblem(404, 'not-found', message);
    case 'ConflictError':
      return new ApiProblem(409, 'conflict', message);
    case 'AccessDeniedError':
      return new ApiProblem(403, 'forbidden', message);
    case 'TransientError':
      logger.warn('dependency unavailable', { path: c.req.path, error: name, message });
      return new ApiProblem(
        503,
        'unavailable',
        'a dependency is busy or unreachable: retry shortly',
      );
  }
  logger.error('unhandled API error', {
    path: c.req.path,
    method: c.req.method,
    error: name,
    message,
  });
  return new ApiProblem(500, 'internal', 'an internal error occurred; it has been logged');
}

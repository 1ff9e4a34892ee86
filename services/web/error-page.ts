/**
 * How the web page shows a use case's named error: the HTTP status of the page, its title and a
 * message the viewer can act on. Anything that is not Ferry's is a 500 whose cause is logged only.
 */
import { describeError, isFerryError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';

/** A page for an error. */
export interface ErrorPage {
  readonly status: 400 | 403 | 404 | 409 | 500 | 503;
  readonly title: string;
  readonly message: string;
}

/** The page that shows `error` (and the log line for what a 500 hides). */
export function errorPage(error: unknown, logger: Logger, path: string): ErrorPage {
  const { name, message } = describeError(error);
  if (isFerryError(error, 'AccessDeniedError'))
    return { status: 403, title: 'Not allowed', message };
  if (isFerryError(error, 'NotFoundError')) return { status: 404, title: 'Not found', message };
  if (isFerryError(error, 'InvalidRequestError'))
    return { status: 400, title: 'Cannot show this page', message };
  if (isFerryError(error, 'ConflictError'))
    return { status: 409, title: 'Cannot show this page', message };
  if (isFerryError(error, 'TransientError')) {
    logger.warn('web page dependency unavailable', { path, error: name, message });
    return { status: 503, title: 'Something went wrong', message: TRY_AGAIN };
  }
  logger.error('unhandled web page error', { path, error: name, message });
  return { status: 500, title: 'Something went wrong', message: TRY_AGAIN };
}

const TRY_AGAIN = 'Ferry could not load this page; try again shortly.';

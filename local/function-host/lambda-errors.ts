/**
 * Lambda's error responses as its clients read them: the `X-Amzn-ErrorType` header names the
 * exception (the SDK turns it into the class of that name), the JSON body carries `message`
 * and any extra fields (`Reason` of a throttle), and `x-amzn-RequestId` is on every answer.
 */
import type { ServerResponse } from 'node:http';

/** One of Lambda's named API errors. */
export class LambdaApiError extends Error {
  override readonly name = 'LambdaApiError';

  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    /** Extra body fields, e.g. a throttle's `Reason`. */
    readonly fields: Readonly<Record<string, string>> = {},
    /** Extra response headers, e.g. a throttle's `Retry-After`. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** Lambda's pattern for a FunctionName, quoted verbatim in its validation message. */
export const FUNCTION_NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';

/** Lambda's 400 for a parameter that breaks its model's constraint. */
export const validationError = (value: string, member: string, constraint: string) =>
  new LambdaApiError(
    400,
    'ValidationException',
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );

/** Lambda's 404 for a function (or a qualifier of it) that does not exist. */
export const functionNotFound = (arn: string) =>
  new LambdaApiError(404, 'ResourceNotFoundException', `Function not found: ${arn}`);

/** Lambda's 429 when no instance can take the invocation. */
export const tooManyRequests = () =>
  new LambdaApiError(
    429,
    'TooManyRequestsException',
    'Rate Exceeded.',
    { Reason: 'ConcurrentInvocationLimitExceeded' },
    { 'Retry-After': '1' },
  );

/** Writes `error` the way Lambda does. */
export function sendLambdaError(res: ServerResponse, requestId: string, error: LambdaApiError) {
  const type = error.type === 'ValidationException' ? {} : { Type: 'User' };
  res.writeHead(error.status, {
    'Content-Type': 'application/json',
    'X-Amzn-ErrorType': error.type,
    'x-amzn-RequestId': requestId,
    ...error.headers,
  });
  res.end(JSON.stringify({ ...type, message: error.message, ...error.fields }));
}

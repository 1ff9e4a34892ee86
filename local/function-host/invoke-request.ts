/**
 * The parts of an Invoke request Lambda checks before it runs anything — body size, JSON
 * payload, client context, invocation type — each refused with Lambda's error, and the
 * host's own errors as Lambda names them.
 */
import type { IncomingMessage } from 'node:http';
import { isFerryError } from '../../services/core/errors.ts';
import { LambdaApiError, tooManyRequests, validationError } from './lambda-errors.ts';

/** Lambda's synchronous request limit (6 MB). */
export const MAX_REQUEST_BYTES = 6 * 1024 * 1024;

/** Lambda's limit for X-Amz-Client-Context (base64 text). */
export const MAX_CLIENT_CONTEXT_BYTES = 3583;

/**
 * The body as text; null when it is larger than Lambda takes. The rest is read and dropped
 * all the same: answering before the client finished sending would reset its connection.
 */
export async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
  }
  return size > MAX_REQUEST_BYTES ? null : Buffer.concat(chunks).toString('utf8');
}

/** The payload to hand the function: `{}` for none; Lambda's 413 / 400 otherwise. */
export function parsePayload(body: string | null, operation: string): string {
  if (body === null) {
    const message = `Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the ${operation} operation`;
    throw new LambdaApiError(413, 'RequestEntityTooLargeException', message);
  }
  if (body.trim() === '') return '{}';
  try {
    JSON.parse(body);
  } catch (error) {
    const message = `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`;
    throw new LambdaApiError(400, 'InvalidRequestContentException', message);
  }
  return body;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** X-Amz-Client-Context decoded to its JSON text (what the runtime gets); undefined when absent. */
export function parseClientContext(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string' || header === '') return undefined;
  if (Buffer.byteLength(header) > MAX_CLIENT_CONTEXT_BYTES) {
    throw new LambdaApiError(
      400,
      'InvalidRequestContentException',
      `Client context must be at most ${MAX_CLIENT_CONTEXT_BYTES} bytes of base64-encoded JSON`,
    );
  }
  const text = BASE64.test(header) ? Buffer.from(header, 'base64').toString('utf8') : '';
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object') return text;
  } catch {
    // refused below
  }
  throw new LambdaApiError(
    400,
    'InvalidRequestContentException',
    'Client context must be a valid Base64-encoded JSON object.',
  );
}

/** X-Amz-Invocation-Type; InvokeWithResponseStream has no Event. */
export function invocationType(header: string | string[] | undefined, streaming: boolean) {
  const allowed = streaming
    ? ['RequestResponse', 'DryRun']
    : ['Event', 'RequestResponse', 'DryRun'];
  const type = typeof header === 'string' && header !== '' ? header : 'RequestResponse';
  if (!allowed.includes(type)) {
    const constraint = `Member must satisfy enum value set: [${allowed.join(', ')}]`;
    throw validationError(type, 'invocationType', constraint);
  }
  return type as 'Event' | 'RequestResponse' | 'DryRun';
}

/** Any error of a request as the Lambda error a client gets. */
export function asLambdaError(error: Error): LambdaApiError {
  if (error instanceof LambdaApiError) return error;
  if (isFerryError(error, 'NotFoundError')) {
    return new LambdaApiError(404, 'ResourceNotFoundException', error.message);
  }
  if (isFerryError(error, 'InvalidRequestError')) {
    return new LambdaApiError(400, 'InvalidParameterValueException', error.message);
  }
  if (error.name === 'TooManyRequestsException') return tooManyRequests();
  return new LambdaApiError(502, 'ServiceException', error.message);
}

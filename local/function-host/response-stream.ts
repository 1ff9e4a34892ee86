/**
 * Lambda's InvokeWithResponseStream answer: `application/vnd.amazon.eventstream` framing
 * (AWS's binary event-stream messages, encoded by the SDK's own codec) of `PayloadChunk`
 * events as the function streams, then one `InvokeComplete` carrying the error, if any, and
 * the log tail. A function that answers buffered comes out as one chunk.
 */
import type { ServerResponse } from 'node:http';
import { EventStreamCodec } from '@smithy/core/event-streams';
import type { InvokeResult } from '../../services/core/ports.ts';

/** The response's Content-Type (the SDK's ResponseStreamContentType). */
export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => Buffer.from(text, 'utf8'),
);

function event(type: string, contentType: string, body: Uint8Array): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: type },
      ':message-type': { type: 'string', value: 'event' },
      ':content-type': { type: 'string', value: contentType },
    },
    body,
  });
}

/** A `PayloadChunk` event of raw bytes. */
export const payloadChunk = (bytes: Uint8Array) =>
  event('PayloadChunk', 'application/octet-stream', bytes);

/** The closing `InvokeComplete` event. */
export const invokeComplete = (fields: {
  ErrorCode?: string;
  ErrorDetails?: string;
  LogResult?: string;
}) => event('InvokeComplete', 'application/json', Buffer.from(JSON.stringify(fields)));

/** Lambda's error JSON as InvokeComplete's ErrorCode (its type) and ErrorDetails (its message). */
function errorFields(payload: string): { ErrorCode: string; ErrorDetails: string } {
  try {
    const parsed: unknown = JSON.parse(payload);
    if (parsed !== null && typeof parsed === 'object') {
      const { errorType, errorMessage } = parsed as Record<string, unknown>;
      return {
        ErrorCode: typeof errorType === 'string' ? errorType : 'Unhandled',
        ErrorDetails: typeof errorMessage === 'string' ? errorMessage : payload,
      };
    }
  } catch {
    // not JSON: the text itself is the detail
  }
  return { ErrorCode: 'Unhandled', ErrorDetails: payload };
}

/**
 * Streams one invocation to `res`. `run` invokes, passing each streamed piece on; the headers
 * go out with the first piece (or at the end), so an error before any (unknown function,
 * throttle) is still an ordinary error response: `run` rejects and nothing is written.
 */
export async function serveResponseStream(
  res: ServerResponse,
  requestId: string,
  tail: boolean,
  run: (onChunk: (chunk: Buffer, executedVersion: string) => void) => Promise<InvokeResult>,
): Promise<void> {
  let streamed = false;
  const start = (executedVersion: string) => {
    if (res.headersSent) return;
    res.writeHead(200, {
      'Content-Type': EVENT_STREAM_CONTENT_TYPE,
      'X-Amz-Executed-Version': executedVersion,
      'x-amzn-RequestId': requestId,
    });
  };
  const result = await run((chunk, executedVersion) => {
    start(executedVersion);
    streamed = true;
    res.write(payloadChunk(chunk));
  });
  start(result.executedVersion ?? '$LATEST');
  if (!result.functionError && !streamed) res.write(payloadChunk(Buffer.from(result.payload)));
  const logs = tail ? { LogResult: Buffer.from(result.logTail).toString('base64') } : {};
  const error = result.functionError ? errorFields(result.payload) : {};
  res.end(invokeComplete({ ...error, ...logs }));
}

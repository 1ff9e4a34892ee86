/**
 * The Lambda Runtime API (2018-06-01) served to one instance's process, on 127.0.0.1 and a
 * port of its own (the process finds it through AWS_LAMBDA_RUNTIME_API). `GET …/next` is a
 * long poll: it answers when the instance is handed an invocation.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Lambda's synchronous response limit (6 MB). */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

/** Lambda's limit for a streamed response (20 MB). */
export const MAX_STREAMED_RESPONSE_BYTES = 20 * 1024 * 1024;

/** One event to hand to the runtime. */
export interface Invocation {
  readonly requestId: string;
  readonly payload: string;
  readonly timeoutMs: number;
  readonly invokedFunctionArn: string;
  /** The caller's X-Amz-Client-Context, decoded JSON text: `Lambda-Runtime-Client-Context`. */
  readonly clientContext?: string;
  /** The caller's Cognito identity JSON: `Lambda-Runtime-Cognito-Identity`. */
  readonly cognitoIdentity?: string;
}

/** What the runtime said; `false` from a handler means "no such request id" (400). */
export interface RuntimeApiHandlers {
  /** A `/next` arrived (the first one ends the init phase). */
  next(): void;
  /** An invocation left in a `/next` response: its duration starts now. */
  handedOut(requestId: string): void;
  response(requestId: string, body: Buffer): boolean;
  /** A piece of a streamed response, as it arrives (the whole body still ends in `response`). */
  chunk(requestId: string, chunk: Buffer): boolean;
  error(requestId: string, body: Buffer, errorType: string | undefined): boolean;
  initError(body: Buffer, errorType: string | undefined): void;
}

/** A platform error as Lambda returns it to the caller. */
export const errorPayload = (errorType: string, errorMessage: string) =>
  JSON.stringify({ errorType, errorMessage });

/** A runtime's posted error as the caller gets it: its JSON, or its text wrapped as Lambda does. */
export function runtimeErrorPayload(body: Buffer, errorType: string | undefined): string {
  const text = body.toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object') return text;
  } catch {
    // not JSON: wrap below
  }
  return errorPayload(errorType ?? 'Runtime.Unknown', text);
}

const PREFIX = '/2018-06-01/runtime';
const ROUTE = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/;

function traceId(): string {
  const epoch = Math.floor(Date.now() / 1000).toString(16);
  const hex = (n: number) => randomBytes(n).toString('hex');
  return `Root=1-${epoch}-${hex(12)};Parent=${hex(8)};Sampled=0`;
}

/** Reads a request body up to `limit` bytes; null when it is larger. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const UNKNOWN_REQUEST = { errorType: 'InvalidRequestID', errorMessage: 'unknown request id' };

const tooLargeError = (limit: number) => ({
  errorType: 'Function.ResponseSizeTooLarge',
  errorMessage: `Response payload size exceeded maximum allowed payload size (${limit} bytes).`,
});

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

/** A Runtime API server for one instance. */
export class RuntimeApi {
  private pending: Invocation | null = null;
  private waiting: ServerResponse | null = null;

  private constructor(
    private readonly server: Server,
    private readonly handlers: RuntimeApiHandlers,
    /** `127.0.0.1:<port>`, the value of AWS_LAMBDA_RUNTIME_API. */
    readonly address: string,
  ) {}

  /** Listens on 127.0.0.1 and a free port. */
  static async start(handlers: RuntimeApiHandlers): Promise<RuntimeApi> {
    let api: RuntimeApi | undefined;
    const server = createServer((req, res) => {
      api?.handle(req, res).catch(() => res.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    api = new RuntimeApi(server, handlers, `127.0.0.1:${port}`);
    return api;
  }

  /** Queues the instance's next invocation (one at a time: instances run sequentially). */
  offer(invocation: Invocation): void {
    this.pending = invocation;
    this.dispatch();
  }

  private dispatch(): void {
    const res = this.waiting;
    const invocation = this.pending;
    if (!res || !invocation) return;
    this.waiting = null;
    this.pending = null;
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Lambda-Runtime-Aws-Request-Id': invocation.requestId,
      'Lambda-Runtime-Deadline-Ms': String(Date.now() + invocation.timeoutMs),
      'Lambda-Runtime-Invoked-Function-Arn': invocation.invokedFunctionArn,
      'Lambda-Runtime-Trace-Id': traceId(),
      ...(invocation.clientContext
        ? { 'Lambda-Runtime-Client-Context': invocation.clientContext }
        : {}),
      ...(invocation.cognitoIdentity
        ? { 'Lambda-Runtime-Cognito-Identity': invocation.cognitoIdentity }
        : {}),
    });
    res.end(invocation.payload);
    this.handlers.handedOut(invocation.requestId);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method === 'GET' && path === `${PREFIX}/invocation/next`) {
      // A runtime polls with one connection at a time; a newer poll replaces a stale one.
      this.waiting?.destroy();
      this.waiting = res;
      res.on('close', () => {
        if (this.waiting === res && !res.writableEnded) this.waiting = null;
      });
      this.handlers.next();
      this.dispatch();
      return;
    }
    const errorType = req.headers['lambda-runtime-function-error-type'];
    const type = typeof errorType === 'string' ? errorType : undefined;
    if (req.method === 'POST' && path === `${PREFIX}/init/error`) {
      this.handlers.initError((await readBody(req, MAX_RESPONSE_BYTES)) ?? Buffer.alloc(0), type);
      return reply(res, 202, { status: 'OK' });
    }
    const match = ROUTE.exec(path);
    if (req.method !== 'POST' || !match) return reply(res, 404, { errorType: 'NotFound' });
    const [, requestId = '', kind] = match;
    const streaming =
      kind === 'response' && req.headers['lambda-runtime-function-response-mode'] === 'streaming';
    if (streaming) return this.streamed(requestId, req, res);
    const body = await readBody(req, MAX_RESPONSE_BYTES);
    if (body === null) {
      const tooLarge = tooLargeError(MAX_RESPONSE_BYTES);
      this.handlers.error(requestId, Buffer.from(JSON.stringify(tooLarge)), tooLarge.errorType);
      return reply(res, 413, tooLarge);
    }
    const known =
      kind === 'response'
        ? this.handlers.response(requestId, body)
        : this.handlers.error(requestId, body, type);
    if (!known) return reply(res, 400, UNKNOWN_REQUEST);
    reply(res, 202, { status: 'OK' });
  }

  /**
   * A streamed response (aws-lambda-ric's streamifyResponse): chunks are passed on as they
   * arrive; an error declared in the trailers (type, and the error JSON base64-encoded) ends
   * the invocation as a function error, whatever was streamed before it.
   */
  private async streamed(requestId: string, req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    let size = 0;
    // A refused stream is still read to its end: leaving the loop early would destroy the
    // request's socket, and the runtime would never see why.
    let refused: { status: number; body: unknown } | null = null;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      if (refused) continue;
      size += chunk.length;
      if (size > MAX_STREAMED_RESPONSE_BYTES) {
        const tooLarge = tooLargeError(MAX_STREAMED_RESPONSE_BYTES);
        this.handlers.error(requestId, Buffer.from(JSON.stringify(tooLarge)), tooLarge.errorType);
        refused = { status: 413, body: tooLarge };
      } else if (!this.handlers.chunk(requestId, chunk)) {
        refused = { status: 400, body: UNKNOWN_REQUEST };
      } else {
        chunks.push(chunk);
      }
    }
    if (refused) return reply(res, refused.status, refused.body);
    const errorType = req.trailers['lambda-runtime-function-error-type'];
    const known = errorType
      ? this.handlers.error(
          requestId,
          Buffer.from(req.trailers['lambda-runtime-function-error-body'] ?? '', 'base64'),
          errorType,
        )
      : this.handlers.response(requestId, Buffer.concat(chunks));
    if (!known) return reply(res, 400, UNKNOWN_REQUEST);
    reply(res, 202, { status: 'OK' });
  }

  /** Stops listening and drops every connection (a parked `/next` included). */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

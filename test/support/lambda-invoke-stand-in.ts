/**
 * Lambda's Invoke API on 127.0.0.1 for a Step Functions interpreter to call (moto's makes its
 * Task calls to the service at MOTO_PORT): each call is answered by `answer`, a thrown error
 * becomes a function error (`X-Amz-Function-Error: Unhandled`, `{errorType, errorMessage}`), as
 * a Node.js Lambda reports one and as Step Functions reads it (Error = errorType).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running stand-in. */
export interface LambdaInvokeStandIn {
  readonly port: number;
  /** Every call, in order: the function name and the payload. */
  readonly calls: Array<{ functionName: string; payload: unknown }>;
  close(): Promise<void>;
}

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** Starts the stand-in; `answer` gets the function's name (from a name or an ARN) and payload. */
export async function startLambdaInvokeStandIn(
  answer: (functionName: string, payload: unknown) => Promise<unknown>,
): Promise<LambdaInvokeStandIn> {
  const calls: LambdaInvokeStandIn['calls'] = [];
  const server: Server = createServer(async (req, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    const match = INVOKE.exec(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    if (req.method !== 'POST' || !match) {
      res.writeHead(404, { 'X-Amzn-ErrorType': 'UnknownOperationException' }).end('{}');
      return;
    }
    const functionName =
      decodeURIComponent(match[1] ?? '')
        .split(':')
        .at(-1) ?? '';
    const payload: unknown = text ? JSON.parse(text) : {};
    calls.push({ functionName, payload });
    try {
      const result = await answer(functionName, payload);
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify(result ?? null));
    } catch (error) {
      const { name, message } = error as Error;
      res
        .writeHead(200, { 'Content-Type': 'application/json', 'X-Amz-Function-Error': 'Unhandled' })
        .end(JSON.stringify({ errorType: name, errorMessage: message }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    calls,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

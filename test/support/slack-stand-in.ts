/**
 * A local HTTP server on 127.0.0.1 standing in for Slack's endpoints (incoming webhooks and
 * `response_url`s): records every JSON message with its path, can answer 503 first, and can answer
 * with a redirect to check that Ferry does not follow one.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A message Slack would have received. */
export interface ReceivedMessage {
  readonly path: string;
  readonly body: {
    readonly text: string;
    readonly blocks?: unknown[];
    readonly response_type?: string;
    readonly replace_original?: boolean;
  };
}

/** Starts the stand-in; `origin` is what tests allow as Slack's origin. */
export async function startSlackStandIn() {
  const received: ReceivedMessage[] = [];
  const state = { failFirst: 0, redirectTo: undefined as string | undefined };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (state.redirectTo) {
        res.writeHead(307, { location: state.redirectTo }).end();
        return;
      }
      if (state.failFirst > 0) {
        state.failFirst -= 1;
        res.writeHead(503).end('busy');
        return;
      }
      received.push({ path: req.url ?? '', body: JSON.parse(body) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    received,
    /** Answer 503 to the next `n` requests. */
    failNext(n: number) {
      state.failFirst = n;
    },
    /** Answer every request with a 307 to `url`. */
    redirectTo(url: string | undefined) {
      state.redirectTo = url;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A running stand-in. */
export type SlackStandIn = Awaited<ReturnType<typeof startSlackStandIn>>;

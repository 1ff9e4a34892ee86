import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

/** Anything with Hono's `fetch` (an app). */
export interface FetchApp {
  fetch: (request: Request, ...rest: never[]) => Response | Promise<Response>;
}

/** How to serve the API. */
export interface ApiServerOptions {
  readonly app: FetchApp;
  /** TCP port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Only loopback: local mode has bearer tokens, not a network perimeter. @default '127.0.0.1' */
  readonly hostname?: '127.0.0.1';
}

/** A running API server. */
export interface RunningServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves a Hono app with Node's HTTP server, bound to 127.0.0.1 only (never all interfaces).
 * The positional form `startApiServer(app, port)` is kept for existing callers.
 */
export async function startApiServer(
  options: ApiServerOptions | FetchApp,
  legacyPort?: number,
): Promise<RunningServer> {
  const { app, port = 0 } = 'fetch' in options ? { app: options, port: legacyPort } : options;
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch as never, port, hostname: '127.0.0.1' },
      (info: AddressInfo) => {
        resolve({
          url: `http://127.0.0.1:${info.port}`,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              // Keep-alive sockets would hold close() open.
              (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            }),
        });
      },
    );
    server.once('error', reject);
  });
}

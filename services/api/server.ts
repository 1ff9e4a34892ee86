import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

/** A running API server. */
export interface RunningServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves a Hono app with Node's HTTP server, bound to 127.0.0.1 only. */
export async function startApiServer(
  app: { fetch: (request: Request, ...rest: never[]) => Response | Promise<Response> },
  port = 0,
): Promise<RunningServer> {
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

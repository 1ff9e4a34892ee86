/**
 * `ferry web`: the web page of an IAM-authorized Ferry API in a browser. Browsers cannot sign
 * requests with SigV4, so this serves 127.0.0.1 and forwards each GET to the API signed with the
 * caller's AWS credentials — the same ones the CLI uses. Reading only: GET and HEAD.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestSigner } from './sigv4.ts';

/** Options for {@link startSigningProxy}. */
export interface SigningProxyOptions {
  /** The API's base URL (`https://abc.execute-api.eu-west-1.amazonaws.com`). */
  readonly target: URL;
  readonly sign: RequestSigner;
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** @default globalThis.fetch */
  readonly fetchImpl?: typeof fetch;
}

/** The response headers worth passing on to the browser (the page's own security headers). */
const PASSED_ON = [
  'content-type',
  'cache-control',
  'content-security-policy',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'location',
];

/** Starts the proxy; `url` is what to open in the browser. */
export async function startSigningProxy(
  options: SigningProxyOptions,
): Promise<{ url: string; close(): Promise<void> }> {
  const fetchImpl = options.fetchImpl ?? fetch;
  let self = '';
  // Loaded here rather than at the CLI's start-up, which every other command pays for.
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    forward(req, res).catch((error: Error) => {
      res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`ferry web: cannot reach ${options.target.origin}: ${error.message}\n`);
    });
  });

  async function forward(req: IncomingMessage, res: ServerResponse) {
    // DNS rebinding: a web page whose name now resolves to 127.0.0.1 would send its own Host.
    // Only requests addressed to this proxy get signed.
    if (req.headers.host !== self) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' }).end('wrong host\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('ferry web is for reading: GET and HEAD only\n');
      return;
    }
    // Origin + path by concatenation: a path like `//evil.example/` cannot change the host.
    const url = new URL(`${options.target.origin}${req.url ?? '/'}`);
    const headers = await options.sign({
      method: req.method,
      url,
      headers: { accept: req.headers.accept ?? 'text/html' },
    });
    const upstream = await fetchImpl(url, { method: req.method, headers, redirect: 'manual' });
    const out: Record<string, string> = {};
    for (const name of PASSED_ON) {
      const value = upstream.headers.get(name);
      if (value !== null) out[name] = value;
    }
    res.writeHead(upstream.status, out);
    res.end(req.method === 'HEAD' ? undefined : Buffer.from(await upstream.arrayBuffer()));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  self = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `http://${self}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

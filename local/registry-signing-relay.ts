/**
 * A relay on 127.0.0.1 that signs the registry's notifications. `docker-registry` can send only
 * fixed headers, but Ferry's `/v1/hooks/registry` authenticates each body by its HMAC; so the
 * registry posts here (with a per-start token only it knows), and the relay forwards the exact
 * body with `X-Ferry-Signature: sha256=<HMAC-SHA256 hex>` and answers with the target's status,
 * so a 5xx from Ferry still makes the registry redeliver.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The header Ferry's registry hook verifies. */
export const SIGNATURE_HEADER = 'X-Ferry-Signature';
const TOKEN_HEADER = 'X-Ferry-Relay-Token';
/** Registry envelopes are small; anything bigger is not one. */
const MAX_BODY_BYTES = 1024 * 1024;

/** A running relay. */
export interface SigningRelay {
  /** Where the registry should post: `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** The headers the registry must send (the relay's token). */
  readonly registryHeaders: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/** `sha256=<hex>` of HMAC-SHA256(secret, body). */
export function signBody(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Starts the relay; it forwards to `targetUrl` with `headers` plus the signature. */
export async function startSigningRelay(options: {
  readonly targetUrl: string;
  readonly secret: string;
  readonly headers: Readonly<Record<string, string>>;
}): Promise<SigningRelay> {
  const token = Buffer.from(randomBytes(24).toString('hex'));
  const server = createServer(async (req, res) => {
    const given = Buffer.from(String(req.headers[TOKEN_HEADER.toLowerCase()] ?? ''));
    // Anything on this machine can reach 127.0.0.1: only the registry may get bodies signed.
    if (req.method !== 'POST' || given.length !== token.length || !timingSafeEqual(given, token)) {
      res.writeHead(403).end();
      return;
    }
    const body = await readBody(req);
    if (!body) {
      res.writeHead(413).end();
      return;
    }
    try {
      const answer = await fetch(options.targetUrl, {
        method: 'POST',
        headers: {
          ...options.headers,
          'Content-Type': String(req.headers['content-type'] ?? 'application/json'),
          [SIGNATURE_HEADER]: signBody(options.secret, body),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await answer.arrayBuffer();
      res.writeHead(answer.status).end();
    } catch {
      // Ferry not up (yet): a 502 makes the registry retry with backoff.
      res.writeHead(502).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    registryHeaders: { [TOKEN_HEADER]: token.toString() },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * SigV4 verification for the function host's HTTP API, so that only holders of local mode's
 * generated key (Ferry, and its owner through `$FERRY_HOME/aws-credentials`) can invoke functions
 * or change provisioned concurrency: 127.0.0.1 is open to every user of the machine. The
 * signature is recomputed with the SDK's own signer over the headers the caller says it signed,
 * and compared in constant time; the request's date must be within Lambda's window.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/** The key pair the host accepts. */
export interface HostCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Why a request was refused, in Lambda's terms (all 403). */
export interface SigV4Refusal {
  readonly type:
    | 'MissingAuthenticationTokenException'
    | 'IncompleteSignatureException'
    | 'UnrecognizedClientException'
    | 'InvalidSignatureException';
  readonly message: string;
}

/** A verified request's body (read to hash it), or why it was refused. */
export type SigV4Outcome = { readonly body: Buffer } | { readonly refused: SigV4Refusal };

/** AWS accepts a signature dated up to 15 minutes off the server's clock either way. */
const WINDOW_MS = 15 * 60 * 1000;
/** Lambda's request limit: a bigger body is answered 413 by the handler, signed or not. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;
const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

const refuse = (type: SigV4Refusal['type'], message: string): SigV4Outcome => ({
  refused: { type, message },
});

/** `20260101T120000Z` → a Date, or null. */
function amzDate(value: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const date = new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The body, or null when it is over the limit (then read to its end, so a 413 can be sent). */
async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size > MAX_BODY_BYTES ? null : Buffer.concat(chunks);
}

/**
 * Checks `req`'s `Authorization` against `credentials` (service `lambda`, any region). Reads the
 * body to hash it; the caller hands that body on (see {@link replayBody}).
 */
export async function verifySigV4(
  req: IncomingMessage,
  credentials: HostCredentials,
  now: Date = new Date(),
): Promise<SigV4Outcome> {
  const header = req.headers.authorization;
  if (!header) return refuse('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const auth = AUTH.exec(header);
  const date = amzDate(String(req.headers['x-amz-date'] ?? ''));
  if (!auth || !date) {
    return refuse(
      'IncompleteSignatureException',
      'Authorization must be AWS4-HMAC-SHA256 with Credential, SignedHeaders and Signature, and X-Amz-Date must be set',
    );
  }
  const [, keyId, scopeDate, region = '', service, signedList = '', signature = ''] = auth;
  if (keyId !== credentials.accessKeyId || service !== 'lambda') {
    return refuse(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  }
  if (Math.abs(now.getTime() - date.getTime()) > WINDOW_MS) {
    return refuse(
      'InvalidSignatureException',
      `Signature expired: ${req.headers['x-amz-date']} is not within 15 minutes of ${now.toISOString()}`,
    );
  }
  const signed = signedList.split(';');
  if (
    !signed.includes('host') ||
    !signed.includes('x-amz-date') ||
    scopeDate !== req.headers['x-amz-date']?.slice(0, 8)
  ) {
    return refuse(
      'IncompleteSignatureException',
      "the host and x-amz-date headers must be signed, and the credential scope must carry X-Amz-Date's day",
    );
  }
  const body = await readBody(req);
  // Nothing is done with an oversized request: the handler's own 413 says what is wrong.
  if (!body) return { body: Buffer.alloc(MAX_BODY_BYTES + 1) };
  const bodyHash = createHash('sha256').update(body).digest('hex');
  const declaredHash = req.headers['x-amz-content-sha256'];
  // A declared payload hash must be the body's, or the signature would not cover the body.
  if (declaredHash !== undefined && declaredHash !== bodyHash) {
    return refuse('InvalidSignatureException', 'X-Amz-Content-Sha256 does not match the body');
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = req.headers[name];
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // No checksum of its own: x-amz-content-sha256 is covered only when the caller signed it.
  const signer = new SignatureV4({
    service: 'lambda',
    region,
    credentials,
    sha256: Sha256,
    applyChecksum: false,
  });
  const expected = await signer.sign(
    new HttpRequest({
      method: req.method ?? 'GET',
      protocol: 'http:',
      hostname: url.hostname,
      // The raw path: the signer escapes it once more, as the caller's signer did.
      path: (req.url ?? '/').split('?')[0] ?? '/',
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
    }),
    { signingDate: date, signableHeaders: new Set(signed) },
  );
  const recomputed = /Signature=([0-9a-f]{64})$/.exec(String(expected.headers.authorization))?.[1];
  if (!recomputed || !timingSafeEqual(Buffer.from(recomputed), Buffer.from(signature))) {
    return refuse(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
  return { body };
}

/**
 * Hands a body {@link verifySigV4} already read back to whoever reads `req` next: the request
 * handler reads it as a stream, and a consumed stream cannot be rewound.
 */
export function replayBody(req: IncomingMessage, body: Buffer): void {
  req[Symbol.asyncIterator] = async function* replay() {
    if (body.length > 0) yield body;
  };
}

/**
 * `fetch` for the function host's HTTP API signed with SigV4 (service `lambda`), for the callers
 * that are not an AWS SDK client: the demo, `ferry local invoke`, tests and benchmarks.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HostCredentials } from './sigv4-verifier.ts';

/** A fetch that signs each request with `credentials`; plain fetch when there are none. */
export function hostFetch(
  credentials: HostCredentials | undefined,
): (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string },
) => Promise<Response> {
  if (!credentials) return (url, init = {}) => fetch(url, init);
  const signer = new SignatureV4({
    service: 'lambda',
    region: 'us-east-1',
    credentials,
    sha256: Sha256,
  });
  return async (url, init = {}) => {
    const target = new URL(url);
    const signed = await signer.sign(
      new HttpRequest({
        method: init.method ?? 'GET',
        protocol: target.protocol,
        hostname: target.hostname,
        ...(target.port ? { port: Number(target.port) } : {}),
        path: target.pathname,
        query: Object.fromEntries(target.searchParams),
        headers: { ...init.headers, host: target.host },
        ...(init.body !== undefined ? { body: init.body } : {}),
      }),
    );
    const { host: _host, ...headers } = signed.headers;
    return fetch(target, {
      method: init.method ?? 'GET',
      headers,
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
  };
}

import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/** Signs a request: returns the headers to send. */
export type RequestSigner = (request: {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}) => Promise<Record<string, string>>;

/** The AWS region of an API Gateway URL (`https://abc.execute-api.eu-west-1.amazonaws.com`), if it is one. */
export function apiGatewayRegion(url: URL): string | null {
  const match = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(url.hostname);
  return match?.[1] ?? null;
}

/**
 * A SigV4 signer for API Gateway (`execute-api`) with credentials from the standard AWS chain
 * (environment, SSO, shared config, web identity — e.g. GitHub Actions OIDC —, container, instance).
 */
export function sigV4Signer(
  region: string,
  credentials: ConstructorParameters<typeof SignatureV4>[0]['credentials'] = defaultProvider(),
  service = 'execute-api',
): RequestSigner {
  const signer = new SignatureV4({ service, region, credentials, sha256: Sha256 });
  return async ({ method, url, headers, body }) => {
    const request = new HttpRequest({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...headers, host: url.host },
      ...(body !== undefined ? { body } : {}),
    });
    const signed = await signer.sign(request);
    return signed.headers as Record<string, string>;
  };
}

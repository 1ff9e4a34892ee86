import type { AwsCredentialIdentity, Provider } from '@smithy/types';
import { UsageError } from './commands.ts';

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
  credentials?: AwsCredentialIdentity | Provider<AwsCredentialIdentity>,
  service = 'execute-api',
): RequestSigner {
  // Loaded at the first signed request: the SDK's credential chain is most of the CLI's code,
  // and `ferry --help` or a local-mode command should not wait for it to load.
  let loading: ReturnType<typeof load> | undefined;
  async function load() {
    const { Sha256, SignatureV4, HttpRequest, defaultProvider } = await import('./sigv4-sdk.ts');
    const chain = credentials ?? defaultProvider();
    return {
      signer: new SignatureV4({ service, region, credentials: chain, sha256: Sha256 }),
      HttpRequest,
    };
  }
  return async ({ method, url, headers, body }) => {
    loading ??= load();
    const { signer, HttpRequest } = await loading;
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
    try {
      const signed = await signer.sign(request);
      return signed.headers as Record<string, string>;
    } catch (error) {
      // The standard chain found nothing: say where it looks, not the SDK's stack.
      if ((error as Error).name !== 'CredentialsProviderError') throw error;
      throw new UsageError(
        `no AWS credentials to sign with (${(error as Error).message}): set AWS_PROFILE (after \`aws sso login\` or \`aws configure\`) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
      );
    }
  };
}

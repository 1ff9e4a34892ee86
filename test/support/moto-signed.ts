/**
 * One SigV4-signed POST to moto's server for a service Ferry has no SDK client of (IAM, SQS):
 * the response's status and text.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { motoClientConfig } from './moto.ts';

export async function signedMotoPost(
  endpoint: string,
  service: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ ok: boolean; status: number; text: string }> {
  const url = new URL(endpoint);
  const { credentials, region } = motoClientConfig(endpoint);
  const signer = new SignatureV4({ service, region, credentials, sha256: Sha256 });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers: { host: url.host, ...headers },
      body,
    }),
  );
  const response = await fetch(`${endpoint}/`, { method: 'POST', headers: signed.headers, body });
  return { ok: response.ok, status: response.status, text: await response.text() };
}

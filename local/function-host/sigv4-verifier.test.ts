/**
 * The function host with credentials (as `npm start` runs it): every request must carry a SigV4
 * signature made with the generated key; the AWS SDK and CLI, given that key, work unchanged.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Sha256 } from '@aws-crypto/sha256-js';
import {
  GetProvisionedConcurrencyConfigCommand,
  InvokeCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_PROFILE, hostCredentials, hostCredentialsFile } from '../local-credentials.ts';
import { type RunningFunctionHost, startFunctionHost } from './http-server.ts';
import type { HostCredentials } from './sigv4-verifier.ts';

const run = promisify(execFile);

describe('function host with SigV4', () => {
  let home: string;
  let credentials: HostCredentials;
  let running: RunningFunctionHost;
  const lambda = (creds: HostCredentials) =>
    new LambdaClient({ endpoint: running.url, region: 'eu-west-1', credentials: creds });

  /** A request signed by the SDK's signer, then optionally altered before it is sent. */
  async function signedFetch(
    path: string,
    body: string,
    options: { signingDate?: Date; sendBody?: string } = {},
  ): Promise<Response> {
    const url = new URL(path, running.url);
    const signer = new SignatureV4({
      service: 'lambda',
      region: 'us-east-1',
      credentials,
      sha256: Sha256,
    });
    const signed = await signer.sign(
      new HttpRequest({
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: { host: url.host, 'content-type': 'application/json' },
        body,
      }),
      options.signingDate ? { signingDate: options.signingDate } : {},
    );
    return fetch(url, {
      method: 'POST',
      headers: signed.headers,
      body: options.sendBody ?? body,
    });
  }

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'ferry-sigv4-'));
    credentials = hostCredentials(home);
    running = await startFunctionHost({
      stateDir: join(home, 'functions'),
      registryUrl: 'http://127.0.0.1:9',
      credentials,
    });
  });
  afterAll(async () => {
    await running?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('refuses an unsigned invoke and an unsigned provisioned-concurrency change', async () => {
    const invoke = await fetch(`${running.url}/2015-03-31/functions/function/invocations`, {
      method: 'POST',
      body: '{}',
    });
    const provisioned = await fetch(
      `${running.url}/2019-09-30/functions/hello/provisioned-concurrency?Qualifier=1`,
      { method: 'PUT', body: '{"ProvisionedConcurrentExecutions":5}' },
    );

    expect(invoke.status).toBe(403);
    expect(invoke.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(provisioned.status).toBe(403);
  });

  it('passes the AWS SDK with the generated key through to the API', async () => {
    const client = lambda(credentials);
    try {
      await expect(
        client.send(
          new InvokeCommand({
            FunctionName: 'ghost:live',
            Payload: new TextEncoder().encode('{"a":"b c"}'),
          }),
        ),
      ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
      // Past the signature check: the host's own answer about a function it does not have.
      const provisioned = await client
        .send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'ghost', Qualifier: '1' }))
        .catch((error: Error) => error);
      expect(provisioned).toBeInstanceOf(Error);
      expect(
        (provisioned as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode,
      ).not.toBe(403);
    } finally {
      client.destroy();
    }
  });

  it('refuses a wrong secret, an unknown key, a stale date and a body that was not signed', async () => {
    const wrongSecret = lambda({ ...credentials, secretAccessKey: 'not-the-secret' });
    const unknownKey = lambda({ ...credentials, accessKeyId: 'AKIAOTHER' });
    const payload = new TextEncoder().encode('{}');
    try {
      await expect(
        wrongSecret.send(new InvokeCommand({ FunctionName: 'ghost', Payload: payload })),
      ).rejects.toMatchObject({ name: 'InvalidSignatureException' });
      await expect(
        unknownKey.send(new InvokeCommand({ FunctionName: 'ghost', Payload: payload })),
      ).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    } finally {
      wrongSecret.destroy();
      unknownKey.destroy();
    }
    const path = '/2015-03-31/functions/ghost/invocations';
    const stale = await signedFetch(path, '{}', {
      signingDate: new Date(Date.now() - 20 * 60_000),
    });
    const swapped = await signedFetch(path, '{"a":1}', { sendBody: '{"a":2}' });
    const fresh = await signedFetch(`${path}?Qualifier=%24LATEST`, '{}');

    expect([stale.status, await stale.json()]).toEqual([
      403,
      expect.objectContaining({ message: expect.stringMatching(/^Signature expired/) }),
    ]);
    expect(swapped.status).toBe(403);
    expect(swapped.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    expect(fresh.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
  });

  it('answers an oversized signed payload 413, as without a signature check', async () => {
    const big = `"${'x'.repeat(6 * 1024 * 1024)}"`;

    const res = await signedFetch('/2015-03-31/functions/ghost/invocations', big);

    expect(res.status).toBe(413);
  });

  it('works with the AWS CLI through $FERRY_HOME/aws-credentials and profile ferry-local', async () => {
    const file = hostCredentialsFile(home);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const answer = await run(
      '/usr/bin/aws',
      [
        '--profile',
        HOST_PROFILE,
        '--region',
        'us-east-1',
        'lambda',
        'invoke',
        '--endpoint-url',
        running.url,
        '--function-name',
        'ghost',
        '--payload',
        '{}',
        '--cli-binary-format',
        'raw-in-base64-out',
        join(home, 'out.json'),
      ],
      { env: { PATH: process.env.PATH ?? '', HOME: home, AWS_SHARED_CREDENTIALS_FILE: file } },
    ).catch((error: { stderr: string }) => error);

    expect('stderr' in answer ? answer.stderr : '').toMatch(/ResourceNotFoundException/);
  });

  it('works with curl --aws-sigv4 on the RIE path, and refuses the same curl unsigned', async () => {
    const url = `${running.url}/2015-03-31/functions/function/invocations`;
    const curl = (...extra: string[]) =>
      run('curl', [
        '-s',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        ...extra,
        '-XPOST',
        url,
        '-d',
        '{}',
      ]);
    const user = `${credentials.accessKeyId}:${credentials.secretAccessKey}`;
    // No function exists: 404 from the host itself, past the signature check.
    const signed = await curl('--aws-sigv4', 'aws:amz:us-east-1:lambda', '--user', user);
    expect(signed.stdout).toBe('404');
    expect((await curl()).stdout).toBe('403');
  });
});

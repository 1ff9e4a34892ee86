import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { aDeployment } from '../../test/fakes/deployments.ts';
import type { Deployment } from '../core/deployment.ts';
import { clientAuth, runCli } from './main.ts';
import { problemLine } from './problem.ts';
import { formatBytes, formatDuration, historyTable, summaryLines } from './render.ts';
import { apiGatewayRegion, sigV4Signer } from './sigv4.ts';

function io(env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: { write: (t: string) => void out.push(t), isTTY: false },
      stderr: { write: (t: string) => void err.push(t) },
      env,
      fetch: (async () => {
        throw new Error('no network in this test');
      }) as typeof fetch,
    },
  };
}

const deployment: Deployment = aDeployment({
  id: 'd-01JDEMO0000000000000000000',
  status: 'ROLLED_BACK',
  updatedAt: '2026-11-28T12:00:09.000Z',
  endedAt: '2026-11-28T12:00:09.500Z',
  trigger: { kind: 'cli' },
  previous: { version: '3', digest: 'sha256:aaa', imageUri: 'x' },
  release: { version: '4', digest: `sha256:${'b'.repeat(64)}`, imageUri: 'y' },
  reason: 'smoke invoke failed: FunctionError Unhandled: boom',
});

describe('CLI: rendering', () => {
  it('formats sizes and durations for people', () => {
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MiB');
    expect(formatBytes(null)).toBe('-');
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512 * 1024)).toBe('512.0 KiB');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_400)).toBe('12.4 s');
    expect(formatDuration(185_000)).toBe('3m 05s');
  });

  it('summarizes the outcome, digest, versions, init duration and reason', () => {
    const text = summaryLines(deployment).join('\n');
    expect(text).toContain('ROLLED_BACK d-01JDEMO0000000000000000000 → orders');
    expect(text).toContain(`sha256:${'b'.repeat(64)}`);
    // Version 4 ran and was rolled back: the summary never reads as if it were live.
    expect(text).toContain('version       4, rolled back to 3');
    expect(summaryLines(deployment).at(-1)).toBe('  live          version 3, unchanged');
    expect(text).toContain('9.5 s');
    expect(text).toContain('reason        smoke invoke failed');
  });

  it('says "not reported" when the runtime gave no Init Duration', () => {
    const d = {
      ...deployment,
      smoke: {
        passed: true,
        statusCode: 200,
        responseExcerpt: '',
        initDurationMs: null,
        durationMs: 3,
        maxMemoryUsedMb: 60,
      },
    };
    expect(summaryLines(d).join('\n')).toContain('init duration not reported');
  });

  it('shows each gate with its figures and the hints on why the image is big', () => {
    const gate = {
      outcome: 'failed',
      value: 3,
      live: 1,
      ratio: 3,
      delta: 2,
      maxRatio: 1.5,
      minDelta: null,
    } as const;
    const d: Deployment = {
      ...deployment,
      status: 'REJECTED',
      scan: {
        verdict: 'reject',
        reasons: [],
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        architecture: 'x86_64',
        compressedBytes: 3,
        uncompressedBytes: null,
        layerCount: 1,
        largestLayers: [],
        budgetBytes: 10,
        liveCompressedBytes: 1,
        growthRatio: 3,
        maxGrowthRatio: 1.5,
        gates: [
          { ...gate, gate: 'size-growth', unit: 'bytes', summary: 'compressed size 3 vs 1 live' },
        ],
        hints: ['layer 1 (RUN apt-get install build-essential) keeps build tools'],
      },
      smoke: {
        passed: true,
        statusCode: 200,
        responseExcerpt: '',
        initDurationMs: 300,
        durationMs: 3,
        maxMemoryUsedMb: 60,
        gates: [{ ...gate, gate: 'init-growth', unit: 'ms', summary: 'Init Duration 300 vs 100' }],
      },
    };
    const text = summaryLines(d).join('\n');
    expect(text).toContain('gate          size-growth failed: compressed size 3 vs 1 live');
    expect(text).toContain('gate          init-growth failed: Init Duration 300 vs 100');
    expect(text).toContain('why it is big\n    - layer 1 (RUN apt-get install build-essential)');
  });

  it('lays out history as aligned columns', () => {
    const [header, row] = historyTable([deployment]);
    expect(header?.startsWith('ID')).toBe(true);
    expect(row?.indexOf('ROLLED_BACK')).toBe(header?.indexOf('STATUS'));
  });

  it('renders a problem as one line that says what to fix', () => {
    const line = problemLine({
      type: 'urn:ferry:problem:validation',
      title: 'Invalid request',
      status: 400,
      detail: 'the request body is invalid',
      errors: [{ path: 'source.url', message: 'must be https:// or s3://' }],
    });
    expect(line).toBe(
      '400 validation: the request body is invalid (source.url: must be https:// or s3://)',
    );
  });

  it('says a field message once when the detail already says it', () => {
    // The API's validation problem: the first issue in the detail, every issue in `errors`.
    const line = problemLine({
      type: 'urn:ferry:problem:validation',
      title: 'Invalid request',
      status: 400,
      detail: 'the request body is invalid: (root): Unrecognized key: "sizeBudget"',
      errors: [
        { path: '(root)', message: 'Unrecognized key: "sizeBudget"' },
        { path: 'smoke.expectStatusCode', message: 'Too big: expected number to be <=599' },
      ],
    });
    expect(line).toBe(
      '400 validation: the request body is invalid: (root): Unrecognized key: "sizeBudget" (smoke.expectStatusCode: Too big: expected number to be <=599)',
    );
    expect(line.split('Unrecognized key')).toHaveLength(2);
  });
});

describe('CLI: arguments and auth', () => {
  it('exits 2 with one ferry: line for an unknown command, an unknown flag or both --image and --source', async () => {
    for (const [argv, line] of [
      [['launch'], 'ferry: unknown command launch: see ferry --help for the commands'],
      [['deploy', 'f', '--bogus'], 'ferry: unknown option --bogus: see ferry deploy --help'],
      [
        ['deploy', 'f', '--image', 'a:b', '--source', 'https://x/y.git'],
        'ferry: give exactly one of --image REF or --source URL',
      ],
      [['deploy'], 'ferry: missing function name: ferry deploy <function> --image REF'],
    ] as const) {
      const t = io();
      expect(await runCli(argv, t.io), argv.join(' ')).toBe(2);
      expect(t.err.join('')).toBe(`${line}\n`);
    }
  });

  it('prints the registry login for local mode with the FERRY_HOME of this shell', async () => {
    const t = io({ FERRY_TOKEN: 't', FERRY_HOME: '/srv/ferry' });
    const asked: string[] = [];
    const fetchLocal = (async (url: URL | string) => {
      asked.push(String(url));
      return Response.json({ registry: '127.0.0.1:5123', functionHost: 'http://127.0.0.1:5124' });
    }) as typeof fetch;

    expect(await runCli(['local', 'registry-login'], { ...t.io, fetch: fetchLocal })).toBe(0);

    expect(asked).toEqual(['http://127.0.0.1:8787/v1/local']);
    expect(t.out.join('')).toContain(
      'buildah login --tls-verify=false -u ferry --password-stdin 127.0.0.1:5123 < /srv/ferry/registry-password\n',
    );
  });

  it('says which key a refused local invoke was signed with and where it looked', async () => {
    const host = createServer((_req, res) => {
      res.writeHead(403, { 'X-Amzn-ErrorType': 'MissingAuthenticationTokenException' }).end('{}');
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const { port } = host.address() as AddressInfo;
    const t = io({ FERRY_TOKEN: 't', FERRY_HOME: '/nowhere' });
    const fetchLocal = (async () =>
      Response.json({
        registry: '127.0.0.1:1',
        functionHost: `http://127.0.0.1:${port}`,
      })) as typeof fetch;
    try {
      expect(await runCli(['local', 'invoke', 'hello'], { ...t.io, fetch: fetchLocal })).toBe(1);
    } finally {
      host.close();
    }

    expect(t.err.join('')).toMatch(
      /^ferry: 403 function-host-refused: .*\(MissingAuthenticationTokenException\) signed with no key \(\/nowhere\/aws-credentials not found\): set FERRY_HOME/,
    );
  });

  it('explains an unreachable API in one line and exits 1', async () => {
    const t = io({ FERRY_URL: 'http://127.0.0.1:9' });
    expect(await runCli(['status', 'd-x'], t.io)).toBe(1);
    expect(t.err.join('')).toMatch(
      /^ferry: unreachable: cannot reach http:\/\/127\.0\.0\.1:9 .*check FERRY_URL/,
    );
  });

  it('signs API Gateway URLs with SigV4 and uses the bearer token elsewhere', () => {
    expect(
      clientAuth(new URL('https://abc123.execute-api.eu-west-1.amazonaws.com/'), {}).kind,
    ).toBe('sigv4');
    expect(clientAuth(new URL('http://127.0.0.1:8787'), { FERRY_TOKEN: 't' })).toEqual({
      kind: 'token',
      token: 't',
    });
    expect(clientAuth(new URL('http://127.0.0.1:8787'), {}).kind).toBe('none');
    expect(apiGatewayRegion(new URL('https://example.com'))).toBeNull();
  });

  it('produces an AWS4-HMAC-SHA256 signature for execute-api in the URL region', async () => {
    const sign = sigV4Signer('eu-west-1', async () => ({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'secret',
    }));
    const headers = await sign({
      method: 'POST',
      url: new URL('https://abc123.execute-api.eu-west-1.amazonaws.com/v1/deployments'),
      headers: { 'content-type': 'application/json' },
      body: '{"function":"orders"}',
    });
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/,
    );
    expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(headers['x-amz-content-sha256'] ?? headers.authorization).toBeTruthy();
  });
});

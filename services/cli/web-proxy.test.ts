import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from './main.ts';
import { sigV4Signer } from './sigv4.ts';
import { startSigningProxy } from './web-proxy.ts';

/** A stand-in for API Gateway on 127.0.0.1: records what arrives, answers a page. */
let upstream: Server;
let upstreamUrl: URL;
const seen: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders }> = [];
const credentials = async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' });

beforeAll(async () => {
  upstream = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers });
    res.writeHead(200, {
      'content-type': 'text/html; charset=UTF-8',
      'content-security-policy': "default-src 'none'",
      'x-powered-by': 'not passed on',
    });
    res.end('<h1>Functions</h1>');
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  upstreamUrl = new URL(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
});
afterAll(() => new Promise<void>((r) => upstream.close(() => r())));

/** A raw GET to the proxy, with a Host header of our choosing (fetch would not let us). */
function raw(url: string, method = 'GET', host?: string) {
  const target = new URL(url);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method,
        headers: host ? { host } : {},
      },
      (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('Function: startSigningProxy (ferry web)', () => {
  it('forwards a GET with its path and query, signed with SigV4, and passes the page back', async () => {
    const proxy = await startSigningProxy({
      target: upstreamUrl,
      sign: sigV4Signer('eu-west-1', credentials),
    });
    try {
      seen.length = 0;
      const res = await fetch(`${proxy.url}functions/orders?cursor=abc`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('<h1>Functions</h1>');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'");
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(seen[0]?.url).toBe('/functions/orders?cursor=abc');
      expect(seen[0]?.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=.*host.*, Signature=[0-9a-f]{64}$/,
      );
      expect(seen[0]?.headers.host).toBe(upstreamUrl.host);
    } finally {
      await proxy.close();
    }
  });

  it('keeps every request on the target host, whatever the path', async () => {
    const proxy = await startSigningProxy({
      target: upstreamUrl,
      sign: sigV4Signer('eu-west-1', credentials),
    });
    try {
      seen.length = 0;
      expect((await raw(`${proxy.url}/evil.example/x`)).status).toBe(200);
      expect(seen[0]?.headers.host).toBe(upstreamUrl.host);
      expect(seen[0]?.url).toBe('//evil.example/x');
    } finally {
      await proxy.close();
    }
  });

  it('signs nothing but reads: POST is 405, and a foreign Host (DNS rebinding) is 421', async () => {
    const sign = vi.fn(sigV4Signer('eu-west-1', credentials));
    const proxy = await startSigningProxy({ target: upstreamUrl, sign });
    try {
      expect((await raw(proxy.url, 'POST')).status).toBe(405);
      expect((await raw(proxy.url, 'GET', 'rebound.example:80')).status).toBe(421);
      expect(sign).not.toHaveBeenCalled();
    } finally {
      await proxy.close();
    }
  });
});

describe('Command: ferry web', () => {
  it('serves an API Gateway URL signed with the AWS credential chain until stopped', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDFROMENV');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    const out: string[] = [];
    const requested: Array<{ url: string; authorization: string | null }> = [];
    const fakeGateway: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      requested.push({ url: String(input), authorization: headers.get('authorization') });
      return new Response('<h1>Functions</h1>', { headers: { 'content-type': 'text/html' } });
    };
    const code = await runCli(['web'], {
      stdout: { write: (t) => void out.push(t), isTTY: false },
      stderr: { write: () => undefined },
      env: { FERRY_URL: 'https://abc123.execute-api.eu-west-1.amazonaws.com' },
      fetch: fakeGateway,
      untilStopped: async () => {
        const url = /Ferry web page: (\S+)/.exec(out.join(''))?.[1];
        expect(await (await fetch(`${url}deployments/d-1`)).text()).toBe('<h1>Functions</h1>');
      },
    });
    vi.unstubAllEnvs();
    expect(code).toBe(0);
    expect(requested).toEqual([
      {
        url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/deployments/d-1',
        authorization: expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=AKIDFROMENV\//),
      },
    ]);
  });

  it('points a local-mode user at the page itself', async () => {
    const out: string[] = [];
    const code = await runCli(['web'], {
      stdout: { write: (t) => void out.push(t), isTTY: false },
      stderr: { write: () => undefined },
      env: { FERRY_URL: 'http://127.0.0.1:8787', FERRY_TOKEN: 'x'.repeat(20) },
    });
    expect(code).toBe(0);
    expect(out.join('')).toContain(
      'Open http://127.0.0.1:8787/ in a browser and sign in with your token',
    );
  });
});

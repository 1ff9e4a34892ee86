import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pushTinyImage } from '../test/support/registry.ts';
import { type RunningRegistry, registryConfig, startRegistry } from './registry-process.ts';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A 127.0.0.1 HTTP server that records every POST it gets. */
async function startReceiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/hooks/registry`, received, server };
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = probe();
    if (value !== undefined) return value;
    await sleep(25);
  }
  throw new Error('timed out waiting');
}

const pushEvents = (received: Received[]) =>
  received.flatMap((r) =>
    (JSON.parse(r.body).events as Array<{ action: string; target: Record<string, string> }>)
      .filter((e) => e.action === 'push')
      .map((e) => ({ ...e, headers: r.headers, body: r.body })),
  );

describe('registryConfig', () => {
  it('quotes every value, so a header value cannot break out of the YAML', () => {
    const yaml = registryConfig({
      storageDir: '/tmp/a "dir"',
      port: 5000,
      notificationUrl: 'http://127.0.0.1:1/hook',
      notificationHeaders: { Authorization: 'Bearer x"\nstorage: evil' },
    });
    expect(yaml).toContain('rootdirectory: "/tmp/a \\"dir\\""');
    expect(yaml).toContain('"Authorization": ["Bearer x\\"\\nstorage: evil"]');
    expect(yaml).toContain('addr: "127.0.0.1:5000"');
    expect(yaml.match(/^storage:/gm)).toHaveLength(1);
  });
});

describe('startRegistry', () => {
  let dir: string;
  let registry: RunningRegistry | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-registry-process-'));
  });
  afterEach(async () => {
    await registry?.stop();
    registry = undefined;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts on 127.0.0.1 with deletes enabled, answers /v2/, and stops', async () => {
    const started = Date.now();
    registry = await startRegistry({ dir: join(dir, 'plain') });
    const startMs = Date.now() - started;
    expect(registry.host).toBe(`127.0.0.1:${registry.port}`);
    expect((await fetch(`${registry.url}/v2/`)).status).toBe(200);
    const config = readFileSync(join(dir, 'plain', 'config.yml'), 'utf8');
    expect(config).toMatch(/delete:\n {4}enabled: true/);
    expect(config).toContain(`addr: "127.0.0.1:${registry.port}"`);

    const { pid, url } = registry;
    await registry.stop();
    registry = undefined;
    expect(() => process.kill(pid, 0)).toThrow();
    await expect(fetch(`${url}/v2/`)).rejects.toThrow();
    expect(startMs).toBeLessThan(5000);
  });

  it('keeps images across a restart on the same directory and port', async () => {
    registry = await startRegistry({ dir: join(dir, 'restart') });
    const { digest } = await pushTinyImage(registry.url, 'team/app', 'v1');
    const port = registry.port;
    await registry.stop();
    registry = await startRegistry({ dir: join(dir, 'restart'), port });
    const res = await fetch(`${registry.url}/v2/team/app/manifests/v1`, {
      method: 'HEAD',
      headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(res.headers.get('docker-content-digest')).toBe(digest);
  });

  it('refuses requests while stopped for work, then serves the same images on the same port', async () => {
    registry = await startRegistry({ dir: join(dir, 'paused') });
    const { digest } = await pushTinyImage(registry.url, 'team/app', 'v1');
    const { url, pid } = registry;
    const during = await registry.whileStopped(async () => {
      expect(() => process.kill(pid, 0)).toThrow();
      return fetch(`${url}/v2/`).then(
        (res) => res.status,
        () => 'refused',
      );
    });
    expect(during).toBe('refused');
    expect(registry.pid).not.toBe(pid);
    const res = await fetch(`${url}/v2/team/app/manifests/v1`, {
      method: 'HEAD',
      headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(res.headers.get('docker-content-digest')).toBe(digest);
  });

  it('starts again after work that failed, and passes the failure on', async () => {
    registry = await startRegistry({ dir: join(dir, 'paused-failing') });
    await expect(
      registry.whileStopped(async () => {
        throw new Error('garbage collection failed');
      }),
    ).rejects.toThrow('garbage collection failed');
    expect((await fetch(`${registry.url}/v2/`)).status).toBe(200);
  });

  it('sends a push event with the given headers to the notification URL', async () => {
    const receiver = await startReceiver();
    try {
      registry = await startRegistry({
        dir: join(dir, 'notify'),
        notificationUrl: receiver.url,
        notificationHeaders: { Authorization: 'Bearer hook-token', 'X-Extra': 'a "quoted" value' },
      });
      const { digest } = await pushTinyImage(registry.url, 'team/app', 'v1');
      const [event] = await waitFor(() => {
        const events = pushEvents(receiver.received);
        return events.length > 0 ? events : undefined;
      });
      expect(event?.target).toMatchObject({ repository: 'team/app', tag: 'v1', digest });
      expect(event?.headers.authorization).toBe('Bearer hook-token');
      expect(event?.headers['x-extra']).toBe('a "quoted" value');
      // Blob uploads are filtered out: only the manifest push arrives.
      expect(
        pushEvents(receiver.received).every(
          (e) => e.target.mediaType !== 'application/octet-stream',
        ),
      ).toBe(true);
    } finally {
      receiver.server.close();
    }
  });

  it('signs each notification body with HMAC-SHA256 when given a secret', async () => {
    const receiver = await startReceiver();
    try {
      registry = await startRegistry({
        dir: join(dir, 'signed'),
        notificationUrl: receiver.url,
        notificationHeaders: { 'X-Extra': 'kept' },
        notificationSecret: 's3cret',
      });
      await pushTinyImage(registry.url, 'team/app', 'v2');
      const [event] = await waitFor(() => {
        const events = pushEvents(receiver.received);
        return events.length > 0 ? events : undefined;
      });
      const expected = `sha256=${createHmac('sha256', 's3cret')
        .update(event?.body ?? '')
        .digest('hex')}`;
      expect(event?.headers['x-ferry-signature']).toBe(expected);
      expect(event?.headers['x-extra']).toBe('kept');
      // The relay's own token never reaches Ferry.
      expect(event?.headers['x-ferry-relay-token']).toBeUndefined();
    } finally {
      receiver.server.close();
    }
  });

  it('reports a registry that dies on its own', async () => {
    const errors: Error[] = [];
    registry = await startRegistry({
      dir: join(dir, 'dies'),
      onUnexpectedExit: (error) => errors.push(error),
    });
    process.kill(registry.pid, 'SIGKILL');
    const [error] = await waitFor(() => (errors.length > 0 ? errors : undefined));
    expect(error?.message).toMatch(/docker-registry on 127\.0\.0\.1:\d+ exited \(SIGKILL\)/);
  });

  it('fails to start, quoting its log, when the given port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      await expect(startRegistry({ dir: join(dir, 'taken'), port })).rejects.toThrow(
        /address already in use/,
      );
    } finally {
      blocker.close();
    }
  });
});

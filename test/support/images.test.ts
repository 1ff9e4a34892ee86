import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciRegistry } from '../../services/adapters/local/oci-registry.ts';
import {
  type BuiltExample,
  createExampleBuilder,
  EXAMPLES_DIR,
  type ExampleBuilder,
  type ExampleName,
} from './images.ts';
import { startTestRegistry, type TestRegistry } from './registry.ts';

const run = promisify(execFile);
const MiB = 1024 * 1024;

interface Posted {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * A minimal Lambda Runtime API: one invocation (`req-1`) on the first /next, later /next calls are
 * held open; resolves with the first /response or /error POST.
 */
async function startRuntimeApi(): Promise<{
  host: string;
  posted: Promise<Posted>;
  server: Server;
}> {
  let resolvePosted: (p: Posted) => void = () => {};
  const posted = new Promise<Posted>((resolve) => {
    resolvePosted = resolve;
  });
  let served = false;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      if (req.url === '/2018-06-01/runtime/invocation/next') {
        if (served) return; // hold: no second invocation
        served = true;
        res.writeHead(200, {
          'Lambda-Runtime-Aws-Request-Id': 'req-1',
          'Content-Type': 'application/json',
        });
        res.end('{"name":"smoke"}');
        return;
      }
      resolvePosted({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(202).end('{"status":"OK"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, posted, server };
}

describe('examples (built with the real builder, pushed to a real registry)', () => {
  let registry: TestRegistry;
  let builder: ExampleBuilder;
  let oci: OciRegistry;
  let dir: string;
  const built: Partial<Record<ExampleName, BuiltExample>> = {};
  const report: Record<string, unknown> = {};

  /** Compressed size (sum of layers) and the layers with their history lines. */
  async function inspect(example: BuiltExample) {
    const manifest = JSON.parse((await oci.getManifest(example.repository, example.digest)).body);
    const config = await oci.getConfig(example.repository, manifest.config.digest);
    const lines = (config.history ?? []).filter((h) => !h.empty_layer).map((h) => h.created_by);
    const layers = (manifest.layers as Array<{ digest: string; size: number }>).map((l, i) => ({
      ...l,
      createdBy: lines[i] ?? '',
    }));
    return { layers, compressed: layers.reduce((sum, l) => sum + l.size, 0), config };
  }

  /** Unpacks the image's layers into a directory (enough for these single-stage-output images). */
  async function unpack(example: BuiltExample): Promise<string> {
    const rootfs = mkdtempSync(join(dir, `${example.tag}-`));
    for (const layer of (await inspect(example)).layers) {
      const chunks: Uint8Array[] = [];
      for await (const c of await oci.getBlob(example.repository, layer.digest)) chunks.push(c);
      const file = join(dir, `${layer.digest.slice(7, 19)}.tar.gz`);
      writeFileSync(file, Buffer.concat(chunks));
      await run('tar', ['-xzf', file, '-C', rootfs]);
    }
    mkdirSync(join(rootfs, 'dev'), { recursive: true });
    return rootfs;
  }

  /** Runs the image's entrypoint chrooted into its rootfs against a Runtime API; the first POST. */
  async function invokeOnce(example: BuiltExample): Promise<Posted> {
    const rootfs = await unpack(example);
    const api = await startRuntimeApi();
    const child = spawn('chroot', [rootfs, '/var/runtime/bootstrap'], {
      env: {
        PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
        AWS_LAMBDA_RUNTIME_API: api.host,
        LAMBDA_TASK_ROOT: '/var/task',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      return await Promise.race([
        api.posted,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('no POST within 10 s')), 10_000),
        ),
      ]);
    } finally {
      child.kill('SIGKILL');
      api.server.closeAllConnections();
      api.server.close();
    }
  }

  beforeAll(async () => {
    registry = await startTestRegistry();
    builder = createExampleBuilder(registry.host);
    oci = new OciRegistry({ baseUrl: registry.url });
    dir = mkdtempSync(join(tmpdir(), 'ferry-examples-test-'));
    for (const name of ['hello', 'broken', 'oversized'] as const) {
      const started = Date.now();
      built[name] = await builder.build(name, { tag: name });
      report[`${name} build ms`] = Date.now() - started;
    }
  }, 120_000);
  afterAll(async () => {
    builder?.dispose();
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
    console.info('examples:', JSON.stringify(report));
  });

  it('keeps hello and broken near 1 MB compressed, in one layer', async () => {
    for (const name of ['hello', 'broken'] as const) {
      const { compressed, layers } = await inspect(built[name] as BuiltExample);
      report[`${name} compressed bytes`] = compressed;
      expect(compressed).toBeLessThan(1.5 * MiB);
      expect(layers).toHaveLength(1);
    }
  });

  it('makes oversized exceed a 10 MiB budget, its biggest layer credited to the head -c line', async () => {
    const { compressed, layers } = await inspect(built.oversized as BuiltExample);
    report['oversized compressed bytes'] = compressed;
    expect(compressed).toBeGreaterThan(10 * MiB);
    const biggest = [...layers].sort((a, b) => b.size - a.size)[0];
    expect(biggest?.size).toBeGreaterThan(12 * 1000 * 1000);
    expect(biggest?.createdBy).toMatch(/head -c "\$BALLAST_BYTES" \/dev\/urandom/);
  });

  it('hello answers {"ok":true,"version":…} through the Runtime API', async () => {
    const started = Date.now();
    const posted = await invokeOnce(built.hello as BuiltExample);
    report['hello first response ms'] = Date.now() - started;
    expect(posted.path).toBe('/2018-06-01/runtime/invocation/req-1/response');
    expect(JSON.parse(posted.body)).toEqual({ ok: true, version: '1' });
  });

  it('broken reports an Unhandled error through the Runtime API', async () => {
    const posted = await invokeOnce(built.broken as BuiltExample);
    expect(posted.path).toBe('/2018-06-01/runtime/invocation/req-1/error');
    expect(posted.headers['lambda-runtime-function-error-type']).toBe('Unhandled');
    expect(JSON.parse(posted.body)).toMatchObject({
      errorType: 'HandlerError',
      errorMessage: expect.stringContaining('broken on purpose'),
    });
  });

  it('ships one runtime loop: every example’s bootstrap is identical', () => {
    const [first, ...rest] = (['hello', 'broken', 'oversized', 'flaky'] as const).map((n) =>
      readFileSync(join(EXAMPLES_DIR, n, 'bootstrap'), 'utf8'),
    );
    for (const other of rest) expect(other).toBe(first);
  });
});

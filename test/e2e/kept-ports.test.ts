/**
 * Local mode keeps its addresses: the registry's and the function host's ports are chosen on the
 * first start and kept in FERRY_HOME, so image URIs stored in history still resolve after a
 * restart; a kept port another process holds stops the start with one clear line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PortInUseError } from '../../local/kept-ports.ts';
import { basicAuth } from '../../local/registry-process.ts';
import { startLocalFerry } from '../../local/start.ts';
import { silentLogger } from '../../services/core/logger.ts';
import { pushTinyImage } from '../support/registry.ts';

const home = mkdtempSync(join(tmpdir(), 'ferry-ports-'));
const TOKEN = 'ferry_ports_admin_token_0123456789';
afterAll(() => rmSync(home, { recursive: true, force: true }));

const start = () => startLocalFerry({ home, port: 0, adminToken: TOKEN, logger: silentLogger });

describe('Local mode: kept ports', () => {
  it('serves the registry and the function host on the same addresses after a restart', async () => {
    // GIVEN an image pushed on the first start, by the URI history would store
    const first = await start();
    let uri: string;
    const addresses = { registry: first.registryHost, functionHost: first.functionHostUrl };
    try {
      const { digest } = await pushTinyImage(
        `http://${first.registryHost}`,
        'kept/tiny',
        'v1',
        'ferry',
        first.registryLogin,
      );
      uri = `${first.registryHost}/kept/tiny@${digest}`;
    } finally {
      await first.close();
    }
    expect(JSON.parse(readFileSync(join(home, 'ports.json'), 'utf8'))).toEqual({
      registry: Number(addresses.registry.split(':')[1]),
      functionHost: Number(new URL(addresses.functionHost).port),
    });

    // WHEN Ferry starts again on the same FERRY_HOME
    const second = await start();
    try {
      // THEN the addresses are the same and the stored URI still resolves
      expect(second.registryHost).toBe(addresses.registry);
      expect(second.functionHostUrl).toBe(addresses.functionHost);
      const [host, rest] = [uri.split('/')[0], uri.slice(uri.indexOf('/') + 1)];
      const [repository, digest] = rest.split('@') as [string, string];
      const manifest = await fetch(`http://${host}/v2/${repository}/manifests/${digest}`, {
        headers: {
          accept: 'application/vnd.oci.image.manifest.v1+json',
          authorization: basicAuth(second.registryLogin),
        },
      });
      expect(manifest.status).toBe(200);
      const local = await fetch(`${second.apiUrl}/v1/local`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(await local.json()).toMatchObject({
        registry: addresses.registry,
        functionHost: addresses.functionHost,
      });
    } finally {
      await second.close();
    }
  }, 120_000);

  it('refuses to start when another process holds a kept port, naming it and the setting', async () => {
    const kept = JSON.parse(readFileSync(join(home, 'ports.json'), 'utf8')) as {
      registry: number;
    };
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(kept.registry, '127.0.0.1', resolve));
    try {
      const failed = await start().then(
        () => null,
        (error: Error) => error,
      );
      expect(failed).toBeInstanceOf(PortInUseError);
      expect(failed?.message).toContain(`127.0.0.1:${kept.registry}`);
      expect(failed?.message).toContain('FERRY_REGISTRY_PORT');
      expect(failed?.message.split('\n')).toHaveLength(1);
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  }, 60_000);
});

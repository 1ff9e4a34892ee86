/**
 * The runtime-interface-client images as the registry holds them: one image per function, each
 * its own digest over the very same layers, its CMD naming its handler, its ENTRYPOINT the
 * client on Node 22 — and a root filesystem that holds the glibc loader Node needs.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRegistry, type TestRegistry } from './registry.ts';
import { pushRicImages, RIC_FUNCTIONS, type RicImage, ricImageLayout } from './ric-image.ts';
import { RIC_ENTRYPOINT } from './ric-rootfs.ts';

const run = promisify(execFile);
const ACCEPT = 'application/vnd.oci.image.manifest.v1+json';

let registry: TestRegistry;
let images: Record<RicImage, string>;

beforeAll(async () => {
  registry = await startTestRegistry();
  images = await pushRicImages(registry.host, 'ric-check');
}, 600_000);
afterAll(() => registry?.stop());

async function manifestOf(uri: string) {
  const digest = uri.split('@')[1] ?? '';
  const res = await fetch(`${registry.url}/v2/ric-check/manifests/${digest}`, {
    headers: { Accept: ACCEPT },
  });
  const manifest = (await res.json()) as { config: { digest: string }; layers: unknown[] };
  const config = (await (
    await fetch(`${registry.url}/v2/ric-check/blobs/${manifest.config.digest}`)
  ).json()) as { config: { Entrypoint: string[]; Cmd: string[]; Env: string[] } };
  return { manifest, config: config.config };
}

describe('Support: runtime-interface-client images', () => {
  it('tags one image per function: distinct digests, the same layers, CMD <name>.handler', async () => {
    const uris = Object.values(images);
    expect(new Set(uris).size).toBe(RIC_FUNCTIONS.length + 1);
    const first = await manifestOf(images.answer);
    for (const fn of RIC_FUNCTIONS) {
      const { manifest, config } = await manifestOf(images[fn]);
      expect(manifest.layers).toEqual(first.manifest.layers);
      expect(config.Cmd).toEqual([`${fn}.handler`]);
      expect(config.Entrypoint).toEqual([...RIC_ENTRYPOINT]);
      expect(config.Env).toContain('LAMBDA_TASK_ROOT=/var/task');
    }
    expect((await manifestOf(images.baseline)).config.Cmd).toEqual(['answer.handler']);
  });

  it('keeps one layout per key, with Node, the client, the handlers and the glibc loader in it', async () => {
    const layout = await ricImageLayout();
    expect(await ricImageLayout()).toBe(layout);
    const { stdout } = await run('skopeo', ['inspect', '--raw', `oci:${layout}:base`]);
    const layers = (JSON.parse(stdout) as { layers: Array<{ digest: string }> }).layers;
    expect(layers).toHaveLength(1);
    const blob = join(layout, 'blobs', 'sha256', (layers[0]?.digest ?? '').replace('sha256:', ''));
    const files = (await run('tar', ['-tzf', blob], { maxBuffer: 64 * 1024 * 1024 })).stdout
      .split('\n')
      .map((f) => f.replace(/^\.?\//, ''));
    expect(files).toEqual(
      expect.arrayContaining([
        'var/lang/bin/node',
        'var/runtime/node_modules/aws-lambda-ric/index.mjs',
        'var/runtime/node_modules/aws-lambda-ric/rapid-client.node',
        'var/task/answer.mjs',
        'lib64/ld-linux-x86-64.so.2',
      ]),
    );
    expect(files.some((f) => /(^|\/)libc\.so\.6$/.test(f))).toBe(true);
  });
});

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../local/registry-process.ts';
import {
  type BuiltExample,
  createExampleBuilder,
  type ExampleBuilder,
} from '../../../test/support/images.ts';
import {
  pushTinyImage,
  startTestRegistry,
  type TestRegistry,
} from '../../../test/support/registry.ts';
import { MANIFEST_MEDIA_TYPES, OciRegistry } from './oci-registry.ts';

const sha256 = (bytes: Uint8Array | string) =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const ACCEPT = MANIFEST_MEDIA_TYPES.join(', ');

describe('Class: OciRegistry (real docker-registry)', () => {
  let registry: TestRegistry;
  let builder: ExampleBuilder;
  let hello: BuiltExample;
  let oci: OciRegistry;
  const requests: string[] = [];

  beforeAll(async () => {
    registry = await startTestRegistry();
    builder = createExampleBuilder(registry.host);
    hello = await builder.build('hello', { repository: 'team/hello', tag: 'v1' });
    // Counts the calls the adapter makes, to prove a retag moves no blob.
    const counting: typeof fetch = (input, init) => {
      requests.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
      return fetch(input, init);
    };
    oci = new OciRegistry({ baseUrl: registry.url, fetch: counting });
  });
  afterAll(async () => {
    builder?.dispose();
    await registry?.stop();
  });

  it('returns a manifest by tag with its exact bytes, digest and media type', async () => {
    const raw = await fetch(`${registry.url}/v2/team/hello/manifests/v1`, {
      headers: { Accept: ACCEPT },
    });
    const rawBody = await raw.text();

    const manifest = await oci.getManifest('team/hello', 'v1');

    expect(manifest.body).toBe(rawBody);
    expect(manifest.digest).toBe(sha256(rawBody));
    expect(manifest.digest).toBe(raw.headers.get('docker-content-digest'));
    expect(manifest.digest).toBe(hello.digest);
    expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(manifest.repository).toBe('team/hello');
  });

  it('returns the same manifest by digest', async () => {
    const byTag = await oci.getManifest('team/hello', 'v1');
    expect(await oci.getManifest('team/hello', byTag.digest)).toEqual(byTag);
  });

  it('reads a Docker v2 manifest as pushed, not converted to schema1', async () => {
    await promisify(execFile)('skopeo', [
      'copy',
      '--src-tls-verify=false',
      '--dest-tls-verify=false',
      '--format',
      'v2s2',
      `docker://${hello.imageRef}`,
      `docker://${registry.host}/team/hello-docker:v1`,
    ]);
    const manifest = await oci.getManifest('team/hello-docker', 'v1');
    expect(manifest.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(JSON.parse(manifest.body).schemaVersion).toBe(2);
    expect(manifest.digest).toBe(sha256(manifest.body));
  });

  it('reads an image index with its own media type', async () => {
    const inner = await oci.getManifest('team/hello', 'v1');
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: inner.mediaType,
          digest: inner.digest,
          size: Buffer.byteLength(inner.body),
          platform: { architecture: 'amd64', os: 'linux' },
        },
      ],
    });
    const put = await fetch(`${registry.url}/v2/team/hello/manifests/multi`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/vnd.oci.image.index.v1+json' },
      body: index,
    });
    expect(put.status).toBe(201);
    const manifest = await oci.getManifest('team/hello', 'multi');
    expect(manifest).toMatchObject({
      mediaType: 'application/vnd.oci.image.index.v1+json',
      body: index,
      digest: sha256(index),
    });
  });

  it('returns the config blob with architecture, entrypoint and history', async () => {
    const manifest = JSON.parse((await oci.getManifest('team/hello', 'v1')).body);
    const config = await oci.getConfig('team/hello', manifest.config.digest);
    expect(config.architecture).toBe('amd64');
    expect(config.os).toBe('linux');
    expect(config.config?.Entrypoint).toEqual(['/var/runtime/bootstrap']);
    expect(config.history?.map((h) => h.created_by).join('\n')).toMatch(/COPY .* in \//);
  });

  it('streams a layer blob whose bytes match its digest', async () => {
    const manifest = JSON.parse((await oci.getManifest('team/hello', 'v1')).body);
    const layer = manifest.layers[0];
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of await oci.getBlob('team/hello', layer.digest)) {
      hash.update(chunk);
      size += chunk.length;
    }
    expect(`sha256:${hash.digest('hex')}`).toBe(layer.digest);
    expect(size).toBe(layer.size);
  });

  it('tells whether a digest exists', async () => {
    expect(await oci.hasImage('team/hello', hello.digest)).toBe(true);
    expect(await oci.hasImage('team/hello', sha256('nothing'))).toBe(false);
    expect(await oci.hasImage('team/absent', hello.digest)).toBe(false);
  });

  it('retags by re-putting the manifest, with one request and no blob transfer; idempotent', async () => {
    const manifest = await oci.getManifest('team/hello', 'v1');
    requests.length = 0;

    await oci.putTag('team/hello', 'release-1', manifest);

    expect(requests).toEqual(['PUT /v2/team/hello/manifests/release-1']);
    await oci.putTag('team/hello', 'release-1', manifest);
    expect((await oci.getManifest('team/hello', 'release-1')).digest).toBe(manifest.digest);
    expect(await oci.listTags('team/hello')).toEqual(expect.arrayContaining(['v1', 'release-1']));
  });

  it('leaves the image (and the other tag) when another tag shares the digest', async () => {
    const manifest = await oci.getManifest('team/hello', 'v1');
    await oci.putTag('team/hello', 'candidate-1', manifest);

    await oci.deleteTag('team/hello', 'candidate-1');

    expect(await oci.hasImage('team/hello', manifest.digest)).toBe(true);
    expect((await oci.getManifest('team/hello', 'v1')).digest).toBe(manifest.digest);
    // The distribution API cannot untag without deleting the digest: the tag lingers.
    expect((await oci.getManifest('team/hello', 'candidate-1')).digest).toBe(manifest.digest);
  });

  it('deletes the manifest when the tag is the last one on its digest; idempotent', async () => {
    const { digest } = await pushTinyImage(registry.url, 'team/lonely', 'only', 'lonely');
    expect(await oci.hasImage('team/lonely', digest)).toBe(true);

    await oci.deleteTag('team/lonely', 'only');

    expect(await oci.hasImage('team/lonely', digest)).toBe(false);
    await expect(oci.getManifest('team/lonely', 'only')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(oci.deleteTag('team/lonely', 'only')).resolves.toBeUndefined();
    await expect(oci.deleteTag('team/never', 'x')).resolves.toBeUndefined();
  });

  it('throws NotFoundError for an unknown tag, repository or blob', async () => {
    await expect(oci.getManifest('team/hello', 'nope')).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringMatching(/HTTP 404: MANIFEST_UNKNOWN/),
    });
    await expect(oci.getManifest('team/absent', 'v1')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(oci.getConfig('team/hello', sha256('x'))).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(oci.listTags('team/absent')).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('refuses names that are not a repository, tag or digest, before any request', async () => {
    requests.length = 0;
    await expect(oci.getManifest('../etc', 'v1')).rejects.toMatchObject({
      name: 'InvalidRequestError',
    });
    await expect(oci.getManifest('team/hello', 'a/../b')).rejects.toMatchObject({
      name: 'InvalidRequestError',
    });
    await expect(oci.getManifest('127.0.0.1:5000/team/hello', 'v1')).rejects.toMatchObject({
      name: 'InvalidRequestError',
    });
    await expect(oci.getConfig('team/hello', 'sha256:short')).rejects.toMatchObject({
      name: 'InvalidRequestError',
    });
    expect(requests).toEqual([]);
  });

  it('throws TransientError when the registry is down', async () => {
    const down = new OciRegistry({ baseUrl: `http://127.0.0.1:${await freePort()}` });
    await expect(down.getManifest('team/hello', 'v1')).rejects.toMatchObject({
      name: 'TransientError',
      message: expect.stringContaining('ECONNREFUSED'),
    });
    await expect(down.hasImage('team/hello', hello.digest)).rejects.toMatchObject({
      name: 'TransientError',
    });
  });
});

describe('Class: OciRegistry (HTTP status mapping)', () => {
  let server: Server;
  let oci: OciRegistry;
  let status = 500;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'X', message: `status ${status}` }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    oci = new OciRegistry({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    });
  });
  afterAll(() => server.close());

  it.each([
    [500, 'TransientError'],
    [503, 'TransientError'],
    [429, 'TransientError'],
    [401, 'AccessDeniedError'],
    [403, 'AccessDeniedError'],
    [404, 'NotFoundError'],
    [400, 'InvalidRequestError'],
  ])('maps HTTP %i to %s', async (code, name) => {
    status = code;
    await expect(oci.getManifest('team/app', 'v1')).rejects.toMatchObject({ name });
  });
});

describe('Class: OciRegistry against a registry with a login', () => {
  const login = { username: 'ferry', password: 'a-generated-password-0123456789' };
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startTestRegistry({ auth: login });
    await pushTinyImage(registry.url, 'team/tiny', 'v1', 'login', login);
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('is refused without it (AccessDeniedError) and reads and retags with it', async () => {
    const anonymous = new OciRegistry({ baseUrl: registry.url });
    const authorization = `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}`;
    const loggedIn = new OciRegistry({ baseUrl: registry.url, authorization });

    await expect(anonymous.getManifest('team/tiny', 'v1')).rejects.toMatchObject({
      name: 'AccessDeniedError',
    });
    const manifest = await loggedIn.getManifest('team/tiny', 'v1');
    await loggedIn.putTag('team/tiny', 'release-1', manifest);
    expect((await loggedIn.getManifest('team/tiny', 'release-1')).digest).toBe(manifest.digest);
  });
});

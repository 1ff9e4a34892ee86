/**
 * What the Registry contract on moto (test/contracts/registry.test.ts) cannot show: the request
 * shapes moto ignores, and the answers moto never gives. Everything else is proven there.
 */
import 'aws-sdk-client-mock-vitest/extend';
import { createHash } from 'node:crypto';
import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  ECRClient,
  GetDownloadUrlForLayerCommand,
  ImageTagAlreadyExistsException,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ManifestRecord } from '../../core/ports.ts';
import { EcrRegistry } from './ecr-registry.ts';

const ecr = mockClient(ECRClient);
const REGISTRY_ID = '123456789012';

const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

const CONFIG = JSON.stringify({
  architecture: 'arm64',
  os: 'linux',
  config: { Entrypoint: ['/lambda-entrypoint.sh'], Cmd: ['app.handler'], Env: ['PATH=/bin'] },
  history: [{ created_by: 'COPY app.js /var/task/ # buildkit' }],
});
const CONFIG_DIGEST = sha(CONFIG);
// Deliberately not pretty-printed like JSON.stringify would: the exact bytes must survive.
const MANIFEST_BODY = `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"${CONFIG_DIGEST}","size":${CONFIG.length}},"layers":[]}\n`;
const MANIFEST_DIGEST = sha(MANIFEST_BODY);
const DOWNLOAD_URL =
  'https://prod-eu-west-1-starport-layer-bucket.s3.amazonaws.com/x?X-Amz-Signature=secret';

const manifest: ManifestRecord = {
  repository: 'team/api',
  digest: MANIFEST_DIGEST,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  body: MANIFEST_BODY,
};

const inputsOf = (command: Parameters<typeof ecr.commandCalls>[0]) =>
  ecr.commandCalls(command).map((call) => call.args[0].input);

function registry(fetchImpl: typeof fetch = vi.fn<typeof fetch>()) {
  return new EcrRegistry(new ECRClient({ region: 'eu-west-1' }), {
    registryId: REGISTRY_ID,
    fetch: fetchImpl,
  });
}

beforeEach(() => {
  ecr.reset();
});

describe('Class: EcrRegistry', () => {
  describe('Method: getManifest', () => {
    // moto ignores acceptedMediaTypes, so only the request shows that every kind is asked for.
    it('asks for a tag with every accepted media type and returns the exact manifest', async () => {
      // Prepare
      ecr.on(BatchGetImageCommand).resolves({
        images: [
          {
            imageId: { imageDigest: MANIFEST_DIGEST, imageTag: 'v1' },
            imageManifest: MANIFEST_BODY,
            imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
          },
        ],
        failures: [],
      });

      // Act
      const record = await registry().getManifest('team/api', 'v1');

      // Assess
      expect(record).toEqual(manifest);
      expect(inputsOf(BatchGetImageCommand)).toEqual([
        {
          registryId: REGISTRY_ID,
          repositoryName: 'team/api',
          imageIds: [{ imageTag: 'v1' }],
          acceptedMediaTypes: [
            'application/vnd.oci.image.manifest.v1+json',
            'application/vnd.oci.image.index.v1+json',
            'application/vnd.docker.distribution.manifest.v2+json',
            'application/vnd.docker.distribution.manifest.list.v2+json',
          ],
        },
      ]);
    });

    // moto always answers with the media type it was given.
    it("takes the media type from the manifest when ECR's field is absent", async () => {
      const docker =
        '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json"}';
      ecr.on(BatchGetImageCommand).resolves({
        images: [{ imageId: { imageDigest: sha(docker) }, imageManifest: docker }],
      });
      const record = await registry().getManifest('team/api', 'v2');
      expect(record.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    });

    // moto answers ImageNotFound (the contract checks it), never ImageTagDoesNotMatchDigest.
    it.each(['ImageTagDoesNotMatchDigest'] as const)(
      'throws NotFoundError for the %s failure',
      async (failureCode) => {
        ecr.on(BatchGetImageCommand).resolves({
          images: [],
          failures: [
            {
              imageId: { imageTag: 'v9' },
              failureCode,
              failureReason: 'Requested image not found',
            },
          ],
        });
        await expect(registry().getManifest('team/api', 'v9')).rejects.toMatchObject({
          name: 'NotFoundError',
          message: `ecr:BatchGetImage team/api:v9 failed: ${failureCode}: Requested image not found`,
        });
      },
    );

    // moto has no pull-through cache, so no upstream failures.
    it('throws TransientError when the upstream registry is throttling', async () => {
      ecr.on(BatchGetImageCommand).resolves({
        failures: [{ imageId: { imageTag: 'v1' }, failureCode: 'UpstreamTooManyRequests' }],
      });
      await expect(registry().getManifest('team/api', 'v1')).rejects.toMatchObject({
        name: 'TransientError',
      });
    });
  });

  // moto has no GetDownloadUrlForLayer: config blobs are checked here and on docker-registry.
  describe('Method: getConfig', () => {
    it('fetches the config blob from the layer download URL and parses it', async () => {
      // Prepare
      ecr
        .on(GetDownloadUrlForLayerCommand)
        .resolves({ downloadUrl: DOWNLOAD_URL, layerDigest: CONFIG_DIGEST });
      const fetchImpl = vi.fn<typeof fetch>().mockResolvedValue(new Response(CONFIG));

      // Act
      const config = await registry(fetchImpl).getConfig('team/api', CONFIG_DIGEST);

      // Assess
      expect(config).toEqual(JSON.parse(CONFIG));
      expect(inputsOf(GetDownloadUrlForLayerCommand)).toEqual([
        { registryId: REGISTRY_ID, repositoryName: 'team/api', layerDigest: CONFIG_DIGEST },
      ]);
      expect(fetchImpl).toHaveBeenCalledExactlyOnceWith(DOWNLOAD_URL);
    });

    it.each([
      [404, 'NotFoundError'],
      [500, 'TransientError'],
      [503, 'TransientError'],
      [403, 'AccessDeniedError'],
    ])(
      'maps HTTP %i from the blob download to %s without leaking the URL',
      async (status, name) => {
        ecr.on(GetDownloadUrlForLayerCommand).resolves({ downloadUrl: DOWNLOAD_URL });
        const fetchImpl = vi.fn<typeof fetch>().mockResolvedValue(new Response('x', { status }));
        const error = (await registry(fetchImpl)
          .getConfig('team/api', CONFIG_DIGEST)
          .catch((e: unknown) => e)) as Error;
        expect(error).toMatchObject({ name });
        expect(error.message).not.toContain('X-Amz-Signature');
      },
    );

    it('throws TransientError when the download fails on the network', async () => {
      ecr.on(GetDownloadUrlForLayerCommand).resolves({ downloadUrl: DOWNLOAD_URL });
      const fetchImpl = vi.fn<typeof fetch>().mockRejectedValue(new TypeError('fetch failed'));
      await expect(registry(fetchImpl).getConfig('team/api', CONFIG_DIGEST)).rejects.toMatchObject({
        name: 'TransientError',
      });
    });

    it('throws TransientError when the bytes do not match the digest', async () => {
      ecr.on(GetDownloadUrlForLayerCommand).resolves({ downloadUrl: DOWNLOAD_URL });
      const fetchImpl = vi
        .fn<typeof fetch>()
        .mockResolvedValue(new Response(`${CONFIG.slice(0, 20)}`));
      await expect(registry(fetchImpl).getConfig('team/api', CONFIG_DIGEST)).rejects.toMatchObject({
        name: 'TransientError',
        message: expect.stringContaining('returned bytes with digest'),
      });
    });

    it('throws InvalidRequestError when the blob is not JSON', async () => {
      const junk = 'not json';
      ecr.on(GetDownloadUrlForLayerCommand).resolves({ downloadUrl: DOWNLOAD_URL });
      const fetchImpl = vi.fn<typeof fetch>().mockResolvedValue(new Response(junk));
      await expect(registry(fetchImpl).getConfig('team/api', sha(junk))).rejects.toMatchObject({
        name: 'InvalidRequestError',
      });
    });
  });

  describe('Method: putTag', () => {
    // moto answers an immutable tag with ImageAlreadyExistsException; AWS's PutImage documents
    // ImageTagAlreadyExistsException for it, which only a mock can give.
    it('throws ConflictError when an immutable tag points at another image', async () => {
      ecr
        .on(PutImageCommand)
        .rejects(new ImageTagAlreadyExistsException({ message: 'immutable', $metadata: {} }));
      await expect(registry().putTag('team/api', 'live', manifest)).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(`ecr:PutImage team/api:live -> ${MANIFEST_DIGEST} failed`),
      });
    });

    // The contract runs without a registryId; the request shows it is then left out.
    it('leaves registryId out when none is configured', async () => {
      ecr.on(PutImageCommand).resolves({});
      await new EcrRegistry(new ECRClient({ region: 'eu-west-1' })).putTag(
        'team/api',
        'live',
        manifest,
      );
      expect(inputsOf(PutImageCommand)[0]).not.toHaveProperty('registryId');
    });
  });

  describe('Method: deleteTag', () => {
    // moto has no manifest lists that reference images, so never this failure.
    it('throws for any other failure', async () => {
      ecr.on(BatchDeleteImageCommand).resolves({
        failures: [
          { imageId: { imageTag: 'previous' }, failureCode: 'ImageReferencedByManifestList' },
        ],
      });
      await expect(registry().deleteTag('team/api', 'previous')).rejects.toMatchObject({
        name: 'ConflictError',
      });
    });
  });
});

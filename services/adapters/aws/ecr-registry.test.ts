import 'aws-sdk-client-mock-vitest/extend';
import { createHash } from 'node:crypto';
import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  DescribeImagesCommand,
  ECRClient,
  GetDownloadUrlForLayerCommand,
  ImageAlreadyExistsException,
  ImageNotFoundException,
  ImageTagAlreadyExistsException,
  PutImageCommand,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ManifestRecord } from '../../core/ports.ts';
import { ACCEPTED_MANIFEST_MEDIA_TYPES, EcrRegistry } from './ecr-registry.ts';

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

    it('asks for a digest reference by imageDigest', async () => {
      ecr.on(BatchGetImageCommand).resolves({
        images: [{ imageId: { imageDigest: MANIFEST_DIGEST }, imageManifest: MANIFEST_BODY }],
      });
      await registry().getManifest('team/api', MANIFEST_DIGEST);
      expect(ecr).toHaveReceivedCommandExactlyOnceWith(BatchGetImageCommand, {
        repositoryName: 'team/api',
        imageIds: [{ imageDigest: MANIFEST_DIGEST }],
        acceptedMediaTypes: [...ACCEPTED_MANIFEST_MEDIA_TYPES],
      });
    });

    it("takes the media type from the manifest when ECR's field is absent", async () => {
      const docker =
        '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json"}';
      ecr.on(BatchGetImageCommand).resolves({
        images: [{ imageId: { imageDigest: sha(docker) }, imageManifest: docker }],
      });
      const record = await registry().getManifest('team/api', 'v2');
      expect(record.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    });

    it.each(['ImageNotFound', 'ImageTagDoesNotMatchDigest'] as const)(
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

    it('throws TransientError when the upstream registry is throttling', async () => {
      ecr.on(BatchGetImageCommand).resolves({
        failures: [{ imageId: { imageTag: 'v1' }, failureCode: 'UpstreamTooManyRequests' }],
      });
      await expect(registry().getManifest('team/api', 'v1')).rejects.toMatchObject({
        name: 'TransientError',
      });
    });

    it('throws NotFoundError when the repository does not exist', async () => {
      ecr
        .on(BatchGetImageCommand)
        .rejects(new RepositoryNotFoundException({ message: 'no repo', $metadata: {} }));
      await expect(registry().getManifest('team/nope', 'v1')).rejects.toMatchObject({
        name: 'NotFoundError',
        message: expect.stringContaining('ecr:BatchGetImage team/nope:v1 failed'),
      });
    });
  });

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

  describe('Method: hasImage', () => {
    it('is true when DescribeImages finds the digest', async () => {
      ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: MANIFEST_DIGEST }] });
      await expect(registry().hasImage('team/api', MANIFEST_DIGEST)).resolves.toBe(true);
      expect(inputsOf(DescribeImagesCommand)).toEqual([
        {
          registryId: REGISTRY_ID,
          repositoryName: 'team/api',
          imageIds: [{ imageDigest: MANIFEST_DIGEST }],
        },
      ]);
    });

    it('is false on ImageNotFoundException', async () => {
      ecr
        .on(DescribeImagesCommand)
        .rejects(new ImageNotFoundException({ message: 'gone', $metadata: {} }));
      await expect(registry().hasImage('team/api', MANIFEST_DIGEST)).resolves.toBe(false);
    });

    it('throws NotFoundError when the repository does not exist', async () => {
      ecr
        .on(DescribeImagesCommand)
        .rejects(new RepositoryNotFoundException({ message: 'no repo', $metadata: {} }));
      await expect(registry().hasImage('team/nope', MANIFEST_DIGEST)).rejects.toMatchObject({
        name: 'NotFoundError',
      });
    });
  });

  describe('Method: putTag', () => {
    it('re-puts the exact manifest body with its media type and digest under the tag', async () => {
      ecr.on(PutImageCommand).resolves({});
      await registry().putTag('team/api', 'live', manifest);
      expect(inputsOf(PutImageCommand)).toEqual([
        {
          registryId: REGISTRY_ID,
          repositoryName: 'team/api',
          imageTag: 'live',
          imageManifest: MANIFEST_BODY,
          imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
          imageDigest: MANIFEST_DIGEST,
        },
      ]);
    });

    it('succeeds when the tag already points at the manifest', async () => {
      ecr
        .on(PutImageCommand)
        .rejects(new ImageAlreadyExistsException({ message: 'exists', $metadata: {} }));
      await expect(registry().putTag('team/api', 'live', manifest)).resolves.toBeUndefined();
    });

    it('throws ConflictError when an immutable tag points at another image', async () => {
      ecr
        .on(PutImageCommand)
        .rejects(new ImageTagAlreadyExistsException({ message: 'immutable', $metadata: {} }));
      await expect(registry().putTag('team/api', 'live', manifest)).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(`ecr:PutImage team/api:live -> ${MANIFEST_DIGEST} failed`),
      });
    });

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
    it('deletes the tag by imageTag', async () => {
      ecr
        .on(BatchDeleteImageCommand)
        .resolves({ imageIds: [{ imageTag: 'previous' }], failures: [] });
      await registry().deleteTag('team/api', 'previous');
      expect(inputsOf(BatchDeleteImageCommand)).toEqual([
        {
          registryId: REGISTRY_ID,
          repositoryName: 'team/api',
          imageIds: [{ imageTag: 'previous' }],
        },
      ]);
    });

    it('succeeds when the tag is already gone', async () => {
      ecr.on(BatchDeleteImageCommand).resolves({
        failures: [{ imageId: { imageTag: 'previous' }, failureCode: 'ImageNotFound' }],
      });
      await expect(registry().deleteTag('team/api', 'previous')).resolves.toBeUndefined();
    });

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

/**
 * The ImageInventory contract against every implementation: the in-memory fake, the local
 * adapter on a real docker-registry (local mode's), and the ECR adapter on moto's ECR.
 */
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  ECRClient,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe } from 'vitest';
import { EcrImageInventory } from '../../services/adapters/aws/ecr-image-inventory.ts';
import { OciImageInventory } from '../../services/adapters/local/oci-image-inventory.ts';
import { OciRegistry } from '../../services/adapters/local/oci-registry.ts';
import { FakeImageInventory } from '../fakes/fake-inventory.ts';
import { type MotoServer, motoClientConfig, startMotoServer } from '../support/moto.ts';
import { pushTinyImage, startTestRegistry, type TestRegistry } from '../support/registry.ts';
import { describeImageInventoryContract, INVENTORY_PAGE_SIZE } from './image-inventory.contract.ts';

let made = 0;
const freshRepository = () => `contract/inventory-${++made}`;
const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

describe('fake', () => {
  describeImageInventoryContract({
    name: 'fake',
    make: async () => {
      const inventory = new FakeImageInventory();
      const repository = freshRepository();
      return {
        inventory,
        repository,
        push: async (tag, seed) => {
          const digest = sha256(`${seed} ${randomUUID()}`);
          inventory.add({
            repository,
            digest,
            tags: tag ? [tag] : [],
            pushedAt: new Date().toISOString(),
            sizeBytes: 1_000 + seed.length,
          });
          return digest;
        },
        tag: async (digest, tag) => {
          const image = inventory.images.get(repository)?.find((i) => i.digest === digest);
          if (!image) throw new Error(`no image ${digest}`);
          (image.tags as string[]).push(tag);
        },
      };
    },
  });
});

describe('docker-registry', () => {
  let server: TestRegistry;
  beforeAll(async () => {
    server = await startTestRegistry();
  });
  afterAll(() => server?.stop());
  describeImageInventoryContract({
    name: 'oci',
    make: async () => {
      const repository = freshRepository();
      const registry = new OciRegistry({ baseUrl: server.url });
      return {
        inventory: new OciImageInventory(registry, {
          pageSize: INVENTORY_PAGE_SIZE,
          storageDir: join(server.dir, 'storage'),
        }),
        repository,
        push: async (tag, seed) => {
          if (tag) return (await pushTinyImage(server.url, repository, tag, seed)).digest;
          // The distribution API keeps a manifest pushed by digest, untagged.
          const { digest } = await pushTinyImage(server.url, repository, `scratch-${seed}`, seed);
          const manifest = await registry.getManifest(repository, digest);
          await registry.deleteManifest(repository, digest);
          const put = await fetch(`${server.url}/v2/${repository}/manifests/${digest}`, {
            method: 'PUT',
            headers: { 'Content-Type': manifest.mediaType },
            body: manifest.body,
          });
          if (put.status !== 201) throw new Error(`untagged PUT answered ${put.status}`);
          return digest;
        },
        tag: async (digest, tag) => {
          await registry.putTag(repository, tag, await registry.getManifest(repository, digest));
        },
      };
    },
    gaps: {
      untagged:
        'the distribution API lists tags only: an untagged manifest is known from build records, not the registry',
    },
  });
});

describe('moto', () => {
  let moto: MotoServer;
  let client: ECRClient;
  beforeAll(async () => {
    moto = await startMotoServer();
    client = new ECRClient(motoClientConfig(moto.endpoint));
  });
  afterAll(async () => {
    client?.destroy();
    await moto?.close();
  });
  describeImageInventoryContract({
    name: 'ecr',
    make: async () => {
      const repository = freshRepository();
      await client.send(new CreateRepositoryCommand({ repositoryName: repository }));
      return {
        inventory: new EcrImageInventory(client, { pageSize: INVENTORY_PAGE_SIZE }),
        repository,
        push: async (tag, seed) => {
          const body = tinyManifest(seed);
          // moto, left to itself, hashes the layer digests instead: so the push states the digest.
          const digest = sha256(body);
          await client.send(
            new PutImageCommand({
              repositoryName: repository,
              ...(tag ? { imageTag: tag } : {}),
              imageManifest: body,
              imageManifestMediaType: OCI_MANIFEST,
              imageDigest: digest,
            }),
          );
          return digest;
        },
        tag: async (digest, tag) => {
          const got = await client.send(
            new BatchGetImageCommand({
              repositoryName: repository,
              imageIds: [{ imageDigest: digest }],
              acceptedMediaTypes: [OCI_MANIFEST],
            }),
          );
          await client.send(
            new PutImageCommand({
              repositoryName: repository,
              imageTag: tag,
              imageManifest: got.images?.[0]?.imageManifest,
              imageManifestMediaType: OCI_MANIFEST,
              imageDigest: digest,
            }),
          );
        },
      };
    },
    // moto answers DescribeImages in one page whatever maxResults says, so the paging case
    // shows all five images but not the paginator's second call: bench/gc.ts pages the adapter
    // through a stand-in that does page.
  });
});

/** An OCI manifest for one layer of `seed` (moto stores manifests without their blobs). */
function tinyManifest(seed: string): string {
  const config = JSON.stringify({ architecture: 'amd64', os: 'linux', seed });
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: sha256(config),
      size: config.length,
    },
    layers: [
      {
        mediaType: 'application/vnd.oci.image.layer.v1.tar',
        digest: sha256(`layer ${seed}`),
        size: 1_000 + seed.length,
      },
    ],
  });
}

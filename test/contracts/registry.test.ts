/**
 * The Registry contract against every implementation: the in-memory fake, the OCI adapter on a
 * real docker-registry (local mode's), and the ECR adapter on moto's ECR.
 */
import { createHash } from 'node:crypto';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe } from 'vitest';
import { EcrRegistry } from '../../services/adapters/aws/ecr-registry.ts';
import { OciRegistry } from '../../services/adapters/local/oci-registry.ts';
import { FakeRegistry } from '../fakes/fake-registry.ts';
import { type MotoServer, motoClientConfig, startMotoServer } from '../support/moto.ts';
import { pushTinyImage, startTestRegistry, type TestRegistry } from '../support/registry.ts';
import { describeRegistryContract, type PushedImage } from './registry.contract.ts';

let made = 0;
const freshRepository = () => `contract/app-${++made}`;
const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

describe('fake', () => {
  describeRegistryContract({
    name: 'fake',
    make: async () => {
      const registry = new FakeRegistry();
      const repository = freshRepository();
      return {
        registry,
        repository,
        push: async (tag, seed) => {
          const digest = registry.pushImage(repository, tag, {
            label: seed,
            layers: [{ sizeBytes: 1_000 + seed.length, createdBy: `COPY ${seed} /var/task` }],
          });
          const body = registry.repos.get(repository)?.manifests.get(digest)?.body ?? '';
          return { digest, body };
        },
        pushIndex: async (tag, children) => {
          const digest = registry.pushIndex(
            repository,
            tag,
            children.map((c) => c.digest),
          );
          const body = registry.repos.get(repository)?.manifests.get(digest)?.body ?? '';
          return { digest, body };
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
  describeRegistryContract({
    name: 'oci',
    make: async () => {
      const repository = freshRepository();
      return {
        registry: new OciRegistry({ baseUrl: server.url }),
        repository,
        push: async (tag, seed) => {
          const { digest, manifest } = await pushTinyImage(server.url, repository, tag, seed);
          return { digest, body: manifest };
        },
        pushIndex: async (tag, children) => {
          const body = indexOf(children);
          const put = await fetch(`${server.url}/v2/${repository}/manifests/${tag}`, {
            method: 'PUT',
            headers: { 'Content-Type': OCI_INDEX },
            body,
          });
          if (put.status !== 201) throw new Error(`index PUT answered ${put.status}`);
          return { digest: sha256(body), body };
        },
      };
    },
    gaps: {
      'untag-shared-digest':
        "the distribution API deletes manifests by digest, never a tag alone, so OciRegistry leaves a tag another tag's digest shares in place (its deleteTag says so)",
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
  /** PutImage as a client pushes: ECR names an image by the sha256 of its manifest bytes. */
  async function put(repository: string, tag: string, body: string, mediaType: string) {
    // moto, left to itself, hashes the layer digests instead: so the push states the digest.
    const digest = sha256(body);
    await client.send(
      new PutImageCommand({
        repositoryName: repository,
        imageTag: tag,
        imageManifest: body,
        imageManifestMediaType: mediaType,
        imageDigest: digest,
      }),
    );
    return { digest, body };
  }
  describeRegistryContract({
    name: 'ecr',
    make: async () => {
      const repository = freshRepository();
      await client.send(new CreateRepositoryCommand({ repositoryName: repository }));
      return {
        registry: new EcrRegistry(client),
        repository,
        push: (tag, seed) => put(repository, tag, tinyManifest(seed), OCI_MANIFEST),
        pushIndex: (tag, children) => put(repository, tag, indexOf(children), OCI_INDEX),
      };
    },
    gaps: {
      'config-blob':
        'moto has no GetDownloadUrlForLayer (nor layer uploads), so no config blob can be read back',
    },
  });
});

/** An OCI image index of images pushed before, one platform each. */
function indexOf(children: readonly PushedImage[]): string {
  const platforms = [
    { architecture: 'amd64', os: 'linux' },
    { architecture: 'arm64', os: 'linux' },
  ];
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: children.map((child, i) => ({
      mediaType: OCI_MANIFEST,
      digest: child.digest,
      size: Buffer.byteLength(child.body),
      platform: platforms[i % platforms.length],
    })),
  });
}

/** An OCI manifest for one layer of `seed` (moto stores manifests without their blobs). */
function tinyManifest(seed: string): string {
  const layer = `layer ${seed}`;
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    history: [{ created_by: `tiny ${seed}` }],
  });
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
        digest: sha256(layer),
        size: layer.length,
      },
    ],
  });
}

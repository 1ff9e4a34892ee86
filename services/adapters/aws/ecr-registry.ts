/**
 * The Registry port on Amazon ECR. Retagging re-puts the manifest's exact bytes (PutImage), so
 * no blob moves; config blobs come from the layer download URL ECR hands out.
 */
import { createHash } from 'node:crypto';
import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  DescribeImagesCommand,
  type ECRClient,
  GetDownloadUrlForLayerCommand,
  type ImageFailure,
  type ImageIdentifier,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import {
  AccessDeniedError,
  ConflictError,
  InvalidRequestError,
  NotFoundError,
  TransientError,
} from '../../core/errors.ts';
import type { ImageConfig, ManifestRecord, Registry } from '../../core/ports.ts';
import { isAwsErrorNamed, toFerryError } from './aws-errors.ts';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** Every manifest kind Ferry handles; ECR answers with the image as pushed when it is one of them. */
export const ACCEPTED_MANIFEST_MEDIA_TYPES = [
  OCI_MANIFEST,
  OCI_INDEX,
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
] as const;

/** Options for EcrRegistry. */
export interface EcrRegistryOptions {
  /** The AWS account that owns the repositories. @default - the caller's account */
  readonly registryId?: string;
  /** Fetches config blobs from their download URL. @default - the global fetch */
  readonly fetch?: typeof fetch;
}

const describeRef = (repository: string, reference: string) =>
  reference.startsWith('sha256:') ? `${repository}@${reference}` : `${repository}:${reference}`;

/** The error a BatchGetImage / BatchDeleteImage failure code stands for. */
export function failureError(failure: ImageFailure, context: string): Error {
  const message = `${context} failed: ${failure.failureCode}: ${failure.failureReason ?? ''}`;
  switch (failure.failureCode) {
    case 'ImageNotFound':
    case 'ImageTagDoesNotMatchDigest':
      return new NotFoundError(message);
    case 'UpstreamTooManyRequests':
    case 'UpstreamUnavailable':
      return new TransientError(message);
    case 'UpstreamAccessDenied':
      return new AccessDeniedError(message);
    case 'ImageReferencedByManifestList':
      return new ConflictError(message);
    default:
      return new InvalidRequestError(message);
  }
}

/** The manifest's own mediaType; an OCI manifest may omit it, so fall back on its shape. */
function mediaTypeOf(body: string, context: string): string {
  let parsed: { mediaType?: string; manifests?: unknown };
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new InvalidRequestError(`${context} returned a manifest that is not JSON`, {
      cause: error,
    });
  }
  return parsed.mediaType ?? (parsed.manifests ? OCI_INDEX : OCI_MANIFEST);
}

/** Registry on ECR: repositories in one account (`registryId`) and the client's region. */
export class EcrRegistry implements Registry {
  private readonly registryId: string | undefined;
  private readonly fetch: typeof fetch;

  constructor(
    private readonly client: ECRClient,
    options: EcrRegistryOptions = {},
  ) {
    this.registryId = options.registryId;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  private get owner() {
    return this.registryId ? { registryId: this.registryId } : {};
  }

  async getManifest(repository: string, reference: string): Promise<ManifestRecord> {
    const context = `ecr:BatchGetImage ${describeRef(repository, reference)}`;
    const imageId: ImageIdentifier = reference.startsWith('sha256:')
      ? { imageDigest: reference }
      : { imageTag: reference };
    const out = await this.client
      .send(
        new BatchGetImageCommand({
          ...this.owner,
          repositoryName: repository,
          imageIds: [imageId],
          acceptedMediaTypes: [...ACCEPTED_MANIFEST_MEDIA_TYPES],
        }),
      )
      .catch((error: unknown) => {
        throw toFerryError(error, context);
      });
    const failure = out.failures?.[0];
    if (failure) throw failureError(failure, context);
    const image = out.images?.[0];
    const body = image?.imageManifest;
    const digest = image?.imageId?.imageDigest;
    if (!body || !digest) throw new NotFoundError(`${context} returned no image`);
    return {
      repository,
      digest,
      mediaType: image.imageManifestMediaType ?? mediaTypeOf(body, context),
      body,
    };
  }

  async getConfig(repository: string, configDigest: string): Promise<ImageConfig> {
    const context = `ecr:GetDownloadUrlForLayer ${repository}@${configDigest}`;
    const { downloadUrl } = await this.client
      .send(
        new GetDownloadUrlForLayerCommand({
          ...this.owner,
          repositoryName: repository,
          layerDigest: configDigest,
        }),
      )
      .catch((error: unknown) => {
        throw toFerryError(error, context);
      });
    if (!downloadUrl) throw new NotFoundError(`${context} returned no download URL`);
    // Messages never include the URL: it is pre-signed.
    const blob = `config blob ${repository}@${configDigest}`;
    const response = await this.fetch(downloadUrl).catch((error: unknown) => {
      throw new TransientError(`GET ${blob} failed: ${String(error)}`, { cause: error });
    });
    if (!response.ok) {
      const message = `GET ${blob} answered HTTP ${response.status}`;
      if (response.status === 404) throw new NotFoundError(message);
      if (response.status >= 500 || response.status === 429) throw new TransientError(message);
      if (response.status === 403) throw new AccessDeniedError(message);
      throw new InvalidRequestError(message);
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    if (configDigest.startsWith('sha256:') && actual !== configDigest) {
      // A cut-short or altered download: fetching again may well succeed.
      throw new TransientError(`GET ${blob} returned bytes with digest ${actual}`);
    }
    try {
      return JSON.parse(bytes.toString('utf8')) as ImageConfig;
    } catch (error) {
      throw new InvalidRequestError(`${blob} is not JSON`, { cause: error });
    }
  }

  async hasImage(repository: string, digest: string): Promise<boolean> {
    try {
      const out = await this.client.send(
        new DescribeImagesCommand({
          ...this.owner,
          repositoryName: repository,
          imageIds: [{ imageDigest: digest }],
        }),
      );
      return (out.imageDetails?.length ?? 0) > 0;
    } catch (error) {
      // A deleted repository holds no image: the caller (Prepare's preflight) must hear "gone",
      // as from the local registry, not a failed lookup.
      if (isAwsErrorNamed(error, 'ImageNotFoundException')) return false;
      if (isAwsErrorNamed(error, 'RepositoryNotFoundException')) return false;
      throw toFerryError(error, `ecr:DescribeImages ${repository}@${digest}`);
    }
  }

  async putTag(repository: string, tag: string, manifest: ManifestRecord): Promise<void> {
    try {
      await this.client.send(
        new PutImageCommand({
          ...this.owner,
          repositoryName: repository,
          imageTag: tag,
          imageManifest: manifest.body,
          imageManifestMediaType: manifest.mediaType,
          imageDigest: manifest.digest,
        }),
      );
    } catch (error) {
      // ECR's answer when the tag already points at exactly this manifest: the retag is done.
      if (isAwsErrorNamed(error, 'ImageAlreadyExistsException')) return;
      throw toFerryError(error, `ecr:PutImage ${repository}:${tag} -> ${manifest.digest}`);
    }
  }

  async deleteTag(repository: string, tag: string): Promise<void> {
    const context = `ecr:BatchDeleteImage ${repository}:${tag}`;
    const out = await this.client
      .send(
        new BatchDeleteImageCommand({
          ...this.owner,
          repositoryName: repository,
          imageIds: [{ imageTag: tag }],
        }),
      )
      .catch((error: unknown) => {
        throw toFerryError(error, context);
      });
    const failure = out.failures?.find((f) => f.failureCode !== 'ImageNotFound');
    if (failure) throw failureError(failure, context);
  }
}

/**
 * The ImageInventory port on Amazon ECR: DescribeImages through the SDK's paginator (one call a
 * page of up to 1000 images, untagged ones included), BatchDeleteImage by digest (every tag on
 * the image goes with it). Optionally archives instead (UpdateImageStorageClass to ARCHIVE): an
 * archived image costs less, is no longer listed (DescribeImages lists ACTIVE images unless asked
 * otherwise), cannot be pulled until it is restored, and can be restored.
 */
import {
  BatchDeleteImageCommand,
  type BatchDeleteImageCommandOutput,
  type ECRClient,
  type ImageDetail,
  paginateDescribeImages,
  UpdateImageStorageClassCommand,
} from '@aws-sdk/client-ecr';
import type { RegistryImage } from '../../core/gc-snapshot.ts';
import type { ImageInventory, RemovalOutcome } from '../../core/ports.ts';
import { isAwsErrorNamed, toFerryError } from './aws-errors.ts';
import { failureError } from './ecr-registry.ts';

/** Options for {@link EcrImageInventory}. */
export interface EcrImageInventoryOptions {
  /** The AWS account that owns the repositories. @default - the caller's account */
  readonly registryId?: string;
  /** DescribeImages' maxResults. @default 1000 (ECR's largest page) */
  readonly pageSize?: number;
}

const GONE_CODES = new Set(['ImageNotFound', 'RepositoryNotFound']);

/** ImageInventory on ECR (see module doc). */
export class EcrImageInventory implements ImageInventory {
  constructor(
    private readonly ecr: ECRClient,
    private readonly options: EcrImageInventoryOptions = {},
  ) {}

  async listImages(repository: string): Promise<RegistryImage[]> {
    const images: RegistryImage[] = [];
    const pages = paginateDescribeImages(
      { client: this.ecr, pageSize: this.options.pageSize ?? 1000 },
      { repositoryName: repository, ...this.registry() },
    );
    try {
      for await (const page of pages) {
        for (const detail of page.imageDetails ?? []) {
          const image = imageOf(repository, detail);
          if (image) images.push(image);
        }
      }
    } catch (error) {
      if (isAwsErrorNamed(error, 'RepositoryNotFoundException')) return [];
      throw toFerryError(error, `ecr:DescribeImages ${repository}`);
    }
    return images;
  }

  async deleteImage(repository: string, digest: string): Promise<RemovalOutcome> {
    const context = `ecr:BatchDeleteImage ${repository}@${digest}`;
    let answer: BatchDeleteImageCommandOutput;
    try {
      answer = await this.ecr.send(
        new BatchDeleteImageCommand({
          repositoryName: repository,
          imageIds: [{ imageDigest: digest }],
          ...this.registry(),
        }),
      );
    } catch (error) {
      if (isAwsErrorNamed(error, 'RepositoryNotFoundException')) return 'gone';
      throw toFerryError(error, context);
    }
    const failure = answer.failures?.[0];
    if (!failure) return (answer.imageIds?.length ?? 0) > 0 ? 'deleted' : 'gone';
    if (GONE_CODES.has(failure.failureCode ?? '')) return 'gone';
    // ImageReferencedByManifestList: an index still names it, so something may pull it.
    if (failure.failureCode === 'ImageReferencedByManifestList') return 'kept';
    throw failureError(failure, context);
  }

  /**
   * Moves the image to ECR's archive storage class instead of deleting it (restorable with
   * UpdateImageStorageClass to STANDARD). `gone` when the image (or repository) is not there.
   */
  async archiveImage(repository: string, digest: string): Promise<RemovalOutcome> {
    try {
      await this.ecr.send(
        new UpdateImageStorageClassCommand({
          repositoryName: repository,
          imageId: { imageDigest: digest },
          targetStorageClass: 'ARCHIVE',
          ...this.registry(),
        }),
      );
      return 'archived';
    } catch (error) {
      if (
        isAwsErrorNamed(error, 'ImageNotFoundException') ||
        isAwsErrorNamed(error, 'RepositoryNotFoundException')
      ) {
        return 'gone';
      }
      throw toFerryError(error, `ecr:UpdateImageStorageClass ${repository}@${digest}`);
    }
  }

  private registry() {
    return this.options.registryId ? { registryId: this.options.registryId } : {};
  }
}

/** One listed image; null for an entry without a digest (ECR always gives one). */
function imageOf(repository: string, detail: ImageDetail): RegistryImage | null {
  if (!detail.imageDigest) return null;
  return {
    repository,
    digest: detail.imageDigest,
    tags: [...(detail.imageTags ?? [])].sort(),
    // Without a push time the image counts as just pushed: too young to collect, never too old.
    pushedAt: (detail.imagePushedAt ?? new Date()).toISOString(),
    sizeBytes: detail.imageSizeInBytes ?? 0,
  };
}

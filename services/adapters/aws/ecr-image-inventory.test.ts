/**
 * What the ImageInventory contract on moto (test/contracts/image-inventory.test.ts) cannot show:
 * moto answers DescribeImages in one page whatever maxResults says, never fails a deletion with
 * ImageReferencedByManifestList, and has no UpdateImageStorageClass (archive).
 */
import 'aws-sdk-client-mock-vitest/extend';
import {
  BatchDeleteImageCommand,
  DescribeImagesCommand,
  ECRClient,
  ImageNotFoundException,
  UpdateImageStorageClassCommand,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EcrImageInventory } from './ecr-image-inventory.ts';

const ecr = mockClient(ECRClient);
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const pushedAt = new Date('2026-01-02T03:04:05.000Z');

describe('Class: EcrImageInventory', () => {
  beforeEach(() => ecr.reset());

  it('pages DescribeImages by 1000 until no nextToken is left', async () => {
    // Prepare
    ecr
      .on(DescribeImagesCommand, { nextToken: undefined })
      .resolves({
        imageDetails: [
          { imageDigest: digest('a'), imageTags: ['v2', 'v1'], imagePushedAt: pushedAt },
        ],
        nextToken: 'page-2',
      })
      .on(DescribeImagesCommand, { nextToken: 'page-2' })
      .resolves({ imageDetails: [{ imageDigest: digest('b'), imageSizeInBytes: 42 }] });

    // Act
    const images = await new EcrImageInventory(new ECRClient({})).listImages('team/api');

    // Assess
    expect(images).toEqual([
      {
        repository: 'team/api',
        digest: digest('a'),
        tags: ['v1', 'v2'],
        pushedAt: pushedAt.toISOString(),
        sizeBytes: 0,
      },
      expect.objectContaining({ digest: digest('b'), tags: [], sizeBytes: 42 }),
    ]);
    expect(ecr).toHaveReceivedCommandTimes(DescribeImagesCommand, 2);
    expect(ecr).toHaveReceivedNthCommandWith(DescribeImagesCommand, 1, {
      repositoryName: 'team/api',
      maxResults: 1000,
    });
  });

  it('keeps an image an image index still references', async () => {
    ecr.on(BatchDeleteImageCommand).resolves({
      imageIds: [],
      failures: [
        {
          imageId: { imageDigest: digest('a') },
          failureCode: 'ImageReferencedByManifestList',
          failureReason: 'Requested image referenced by manifest list',
        },
      ],
    });
    const inventory = new EcrImageInventory(new ECRClient({}));
    await expect(inventory.deleteImage('team/api', digest('a'))).resolves.toBe('kept');
  });

  it('throws a named error for any other failure code', async () => {
    ecr.on(BatchDeleteImageCommand).resolves({
      failures: [{ failureCode: 'KmsError', failureReason: 'key disabled' }],
    });
    const inventory = new EcrImageInventory(new ECRClient({}));
    await expect(inventory.deleteImage('team/api', digest('a'))).rejects.toThrow(
      /ecr:BatchDeleteImage team\/api@sha256:a+ failed: KmsError: key disabled/,
    );
  });

  it('archives by digest to the ARCHIVE storage class', async () => {
    ecr.on(UpdateImageStorageClassCommand).resolves({ imageStatus: 'ARCHIVED' });
    const inventory = new EcrImageInventory(new ECRClient({}), { registryId: '123456789012' });
    await expect(inventory.archiveImage('team/api', digest('a'))).resolves.toBe('archived');
    expect(ecr).toHaveReceivedCommandWith(UpdateImageStorageClassCommand, {
      registryId: '123456789012',
      repositoryName: 'team/api',
      imageId: { imageDigest: digest('a') },
      targetStorageClass: 'ARCHIVE',
    });
  });

  it('answers `gone` when archiving an image that is not there', async () => {
    ecr
      .on(UpdateImageStorageClassCommand)
      .rejects(new ImageNotFoundException({ message: 'no such image', $metadata: {} }));
    const inventory = new EcrImageInventory(new ECRClient({}));
    await expect(inventory.archiveImage('team/api', digest('a'))).resolves.toBe('gone');
  });
});

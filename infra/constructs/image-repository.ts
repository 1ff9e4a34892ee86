/**
 * The ECR repository source builds push to. Tags are immutable (a release tag never moves),
 * except the BuildKit cache tag, which every build rewrites.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  ImageTagMutabilityExclusionFilter,
  Repository,
  TagMutability,
  TagStatus,
} from 'aws-cdk-lib/aws-ecr';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { candidateTag, releaseTag } from '../../services/core/workflow.ts';

/** The tag BuildKit's registry cache lives under (`--cache-to type=registry,ref=<repo>:<this>`). */
export const BUILD_CACHE_TAG = 'ferry-buildcache';
/** Tags build candidates are pushed under (one per deployment; the workers' own naming). */
export const CANDIDATE_TAG_PATTERN = `${candidateTag('')}*`;
/** Tags Promote gives a released digest (one per deployment; the workers' own naming). */
export const RELEASE_TAG_PATTERN = `${releaseTag('')}*`;

/** Properties of the ImageRepository. */
export interface ImageRepositoryProps {
  /** Days after which an image still tagged only as a candidate expires. */
  readonly candidateExpiryDays: number;
  /**
   * What happens to the repository when the stack is deleted.
   * @default RemovalPolicy.RETAIN - live function versions may still run its images
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The build repository, with scan on push and a lifecycle policy that touches candidates only. */
export class ImageRepository extends Construct {
  /** The repository. */
  readonly repository: Repository;

  constructor(scope: Construct, id: string, props: ImageRepositoryProps) {
    super(scope, id);
    this.repository = new Repository(this, 'Repository', {
      imageScanOnPush: true,
      // Promote re-puts a manifest under a NEW tag (ferry-release-<id>) and candidates are unique
      // per deployment, so nothing Ferry does moves a tag: immutability costs nothing and
      // guarantees a release tag names one digest forever. The cache tag is rewritten by design.
      imageTagMutability: TagMutability.IMMUTABLE_WITH_EXCLUSION,
      imageTagMutabilityExclusionFilters: [
        ImageTagMutabilityExclusionFilter.wildcard(BUILD_CACHE_TAG),
      ],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    // Lifecycle rules expire whole images, and a promoted image carries its candidate tag too.
    // ECR never lets a lower-priority rule expire an image a higher-priority rule's tag filter
    // matches, so this first rule shields released images from the candidate rule below.
    this.repository.addLifecycleRule({
      rulePriority: 1,
      description: 'Shield released images (ferry-release-*) from the candidate rule',
      tagStatus: TagStatus.TAGGED,
      tagPatternList: [RELEASE_TAG_PATTERN],
      maxImageCount: 10_000,
    });
    this.repository.addLifecycleRule({
      rulePriority: 2,
      description: `Expire unreleased build candidates (${CANDIDATE_TAG_PATTERN}) after ${props.candidateExpiryDays} days`,
      tagStatus: TagStatus.TAGGED,
      tagPatternList: [CANDIDATE_TAG_PATTERN],
      maxImageAge: Duration.days(props.candidateExpiryDays),
    });
    // Lambda pulls images with its service principal: allow it for this account's functions, so
    // deploying needs no ecr:SetRepositoryPolicy (Lambda would otherwise add this statement itself).
    this.repository.addToResourcePolicy(
      new PolicyStatement({
        sid: 'LambdaPull',
        principals: [new ServicePrincipal('lambda.amazonaws.com')],
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        conditions: {
          StringLike: {
            'aws:sourceArn': Stack.of(this).formatArn({
              service: 'lambda',
              resource: 'function',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }
}

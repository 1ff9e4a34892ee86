/**
 * The two CodeBuild projects the Build state starts: one per Lambda architecture, so an image is
 * always built natively for the function that will run it. Both run `infra/buildspec.yml`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ArnFormat, Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  BuildSpec,
  ComputeType,
  type IBuildImage,
  LinuxArmBuildImage,
  LinuxBuildImage,
  Project,
} from 'aws-cdk-lib/aws-codebuild';
import type { IRepository } from 'aws-cdk-lib/aws-ecr';
import { Grant, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import { acknowledgeRule, acknowledgeWildcardResources } from '../nag.ts';

/** The checked-in buildspec both projects run. */
export const BUILDSPEC_PATH = fileURLToPath(new URL('../buildspec.yml', import.meta.url));

/** Properties of the BuildProjects. */
export interface BuildProjectsProps {
  /** The repository builds push candidates (and the BuildKit cache) to: the only one they may push to. */
  readonly repository: IRepository;
  /**
   * S3 buckets `s3://` sources may be read from.
   * @default - none: s3:// sources fail with AccessDenied
   */
  readonly sourceBuckets?: readonly string[];
  /**
   * Build timeout; below the Build state's TimeoutSeconds (3600) so CodeBuild stops first.
   * @default Duration.minutes(55)
   */
  readonly timeout?: Duration;
}

/** The x86_64 and arm64 build projects (privileged: Docker runs inside). */
export class BuildProjects extends Construct {
  /** Builds linux/amd64 images. */
  readonly x86_64: Project;
  /** Builds linux/arm64 images. */
  readonly arm64: Project;
  private readonly logGroups: LogGroup[] = [];

  constructor(scope: Construct, id: string, props: BuildProjectsProps) {
    super(scope, id);
    this.x86_64 = this.project('X86', LinuxBuildImage.STANDARD_7_0, ComputeType.MEDIUM, props);
    this.arm64 = this.project(
      'Arm64',
      LinuxArmBuildImage.AMAZON_LINUX_2023_STANDARD_3_0,
      ComputeType.LARGE,
      props,
    );
  }

  /**
   * Lets `grantee` read the projects' builds and their logs, as the BuildLogs adapter does:
   * BatchGetBuilds on the two projects, GetLogEvents on their log groups.
   */
  grantReadLogs(grantee: IGrantable): void {
    Grant.addToPrincipal({
      grantee,
      actions: ['codebuild:BatchGetBuilds'],
      resourceArns: this.projects.map((p) => p.projectArn),
    });
    Grant.addToPrincipal({
      grantee,
      actions: ['logs:GetLogEvents'],
      resourceArns: this.logGroups.map((g) => g.logGroupArn),
    });
  }

  /** Both projects. */
  get projects(): readonly Project[] {
    return [this.x86_64, this.arm64];
  }

  private project(
    id: string,
    buildImage: IBuildImage,
    computeType: ComputeType,
    props: BuildProjectsProps,
  ): Project {
    const logs = new LogGroup(this, `${id}Logs`, {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.logGroups.push(logs);
    const project = new Project(this, id, {
      description: `Ferry source build (${id}): builds and pushes a ferry-candidate-<id> image`,
      // Inline: a project without a source takes its buildspec as YAML text, not an S3 object.
      // The text is the checked-in file's, never assembled from a request (request values come
      // only as environment variable overrides).
      buildSpec: BuildSpec.fromObjectToYaml(parse(readFileSync(BUILDSPEC_PATH, 'utf8'))),
      environment: { buildImage, computeType, privileged: true },
      timeout: props.timeout ?? Duration.minutes(55),
      logging: { cloudWatch: { logGroup: logs } },
    });
    // Pull and push on the build repository only (the cache tag lives there too); CDK adds
    // ecr:GetAuthorizationToken on "*", which `docker login` needs and which has no resource scope.
    props.repository.grantPullPush(project);
    const sources = (props.sourceBuckets ?? []).map(
      (bucket) => `arn:${Aws.PARTITION}:s3:::${bucket}/*`,
    );
    if (sources.length > 0) {
      project.addToRolePolicy(
        new PolicyStatement({ actions: ['s3:GetObject'], resources: sources }),
      );
    }
    this.acknowledge(project, sources);
    return project;
  }

  /** The findings CodeBuild projects carry by design, each with why. */
  private acknowledge(project: Project, sources: readonly string[]): void {
    acknowledgeRule(
      project,
      'AwsSolutions-CB4',
      'The projects produce no artifacts (images go to ECR, logs to CloudWatch), so there is nothing for a project KMS key to encrypt.',
    );
    acknowledgeRule(
      project,
      'AwsSolutions-IAM5[Resource::*]',
      'Only ecr:GetAuthorizationToken (docker login) is on "*": AWS defines no resource for it. Every other ECR action is on the build repository.',
    );
    const stack = Stack.of(project);
    acknowledgeWildcardResources(
      project,
      [
        `${stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: `/aws/codebuild/${project.projectName}`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })}:*`,
        stack.formatArn({
          service: 'codebuild',
          resource: 'report-group',
          resourceName: `${project.projectName}-*`,
        }),
      ],
      "CodeBuild's default grants, scoped to this project's own log group streams and report groups.",
    );
    if (sources.length > 0) {
      acknowledgeWildcardResources(
        project,
        sources,
        's3:// sources are objects chosen per deployment in the configured source buckets: read-only (s3:GetObject) on those buckets.',
      );
    }
  }
}

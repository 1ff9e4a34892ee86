import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUILDSPEC_PATH } from '../../infra/constructs/build-projects.ts';
import { readDeployDefinitionText } from '../../statemachine/substitutions.ts';
import { fullTemplate } from './support/app.ts';
import { actionsOf, allowStatementsOf } from './support/iam.ts';

describe('Construct: BuildProjects', () => {
  it.each([
    ['LINUX_CONTAINER', 'aws/codebuild/standard:7.0'],
    ['ARM_CONTAINER', 'aws/codebuild/amazonlinux-aarch64-standard:3.0'],
  ])(
    'creates a privileged %s project (%s) with no baked-in environment variables',
    (type, image) => {
      fullTemplate().hasResourceProperties('AWS::CodeBuild::Project', {
        Environment: {
          Type: type,
          Image: image,
          PrivilegedMode: true,
          EnvironmentVariables: Match.absent(),
        },
        Source: { Type: 'NO_SOURCE' },
        TimeoutInMinutes: 55,
      });
    },
  );

  it('stops builds before the Build state times out', () => {
    const build = JSON.parse(readDeployDefinitionText()).States.Build;
    expect(55 * 60).toBeLessThan(build.TimeoutSeconds);
  });

  it('runs the checked-in infra/buildspec.yml, inline: a project without a source takes no S3 buildspec', () => {
    const checkedIn = parse(readFileSync(BUILDSPEC_PATH, 'utf8'));
    const projects = Object.values(fullTemplate().findResources('AWS::CodeBuild::Project'));
    expect(projects).toHaveLength(2);
    for (const project of projects) {
      const source = project.Properties.Source;
      expect(source.Type).toBe('NO_SOURCE');
      expect(typeof source.BuildSpec).toBe('string');
      expect(source.BuildSpec).not.toMatch(/^arn:/);
      expect(parse(source.BuildSpec)).toEqual(checkedIn);
    }
  });

  it('gives request values to the build only as environment variable overrides', () => {
    const build = JSON.parse(readDeployDefinitionText()).States.Build;
    expect(build.Resource).toBe('arn:aws:states:::codebuild:startBuild.sync');
    expect(Object.keys(build.Parameters).sort()).toEqual([
      'EnvironmentVariablesOverride.$',
      'ProjectName.$',
    ]);
  });

  it('may push to the build repository only, and read only the configured source buckets', () => {
    const statements = allowStatementsOf(fullTemplate(), 'BuildsX86Role');
    const ecr = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('ecr:')));
    expect(ecr).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'ecr:BatchCheckLayerAvailability',
          'ecr:BatchGetImage',
          'ecr:CompleteLayerUpload',
          'ecr:GetDownloadUrlForLayer',
          'ecr:InitiateLayerUpload',
          'ecr:PutImage',
          'ecr:UploadLayerPart',
        ],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ImagesRepository/), 'Arn'] },
      },
      { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
    ]);
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::ferry-sources/*']] },
    });
  });

  it("lets Finalize and the API read the projects' builds and log groups, and nothing else of them", () => {
    const template = fullTemplate();
    for (const role of ['WorkersFinalizeRole', 'ApiHandlerRole']) {
      const statements = allowStatementsOf(template, role);
      const builds = statements.filter((s) => actionsOf([s]).includes('codebuild:BatchGetBuilds'));
      expect(actionsOf(builds), role).toEqual(['codebuild:BatchGetBuilds']);
      const projects = JSON.stringify(builds.map((s) => s.Resource));
      expect(projects).toMatch(/BuildsX86[0-9A-F]+.*Arn/);
      expect(projects).toMatch(/BuildsArm64[0-9A-F]+.*Arn/);
      const logs = statements.filter((s) => actionsOf([s]).includes('logs:GetLogEvents'));
      expect(actionsOf(logs), role).toEqual(['logs:GetLogEvents']);
      const groups = JSON.stringify(logs.map((s) => s.Resource));
      expect(groups).toMatch(/BuildsX86Logs[0-9A-F]+.*Arn/);
      expect(groups).toMatch(/BuildsArm64Logs[0-9A-F]+.*Arn/);
      expect(groups).not.toContain('"*"');
    }
  });
});

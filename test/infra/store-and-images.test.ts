import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { STORE_TABLE, storeTableDefinition } from '../../services/adapters/aws/dynamo-table.ts';
import { fullTemplate } from './support/app.ts';

describe('Construct: StoreTable', () => {
  it('creates an on-demand, PITR, KMS-encrypted table with TTL on the store attribute', () => {
    fullTemplate().hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: STORE_TABLE.ttlAttribute, Enabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('lays out keys and the history index exactly as storeTableDefinition does', () => {
    const definition = storeTableDefinition('x');
    const [table] = Object.values(fullTemplate().findResources('AWS::DynamoDB::Table'));
    const props = table?.Properties;
    expect(props.KeySchema).toEqual(definition.KeySchema);
    expect(props.AttributeDefinitions).toEqual(
      expect.arrayContaining(definition.AttributeDefinitions ?? []),
    );
    expect(props.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: STORE_TABLE.historyIndex,
        KeySchema: definition.GlobalSecondaryIndexes?.[0]?.KeySchema,
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
  });

  it('retains the table (deployment history) when the stack is deleted', () => {
    fullTemplate().hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
  });
});

describe('Construct: ImageRepository', () => {
  it('scans on push and keeps tags immutable except the BuildKit cache tag', () => {
    fullTemplate().hasResourceProperties('AWS::ECR::Repository', {
      ImageScanningConfiguration: { ScanOnPush: true },
      ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      ImageTagMutabilityExclusionFilters: [
        {
          ImageTagMutabilityExclusionFilterType: 'WILDCARD',
          ImageTagMutabilityExclusionFilterValue: 'ferry-buildcache',
        },
      ],
    });
  });

  it('expires only ferry-candidate-* images, after the configured days, shielding released ones', () => {
    const [repo] = Object.values(fullTemplate().findResources('AWS::ECR::Repository'));
    const policy = JSON.parse(repo?.Properties.LifecyclePolicy.LifecyclePolicyText);
    expect(policy.rules).toEqual([
      {
        rulePriority: 1,
        description: expect.stringContaining('Shield'),
        selection: {
          tagStatus: 'tagged',
          tagPatternList: ['ferry-release-*'],
          countType: 'imageCountMoreThan',
          countNumber: 10000,
        },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: expect.stringContaining('after 14 days'),
        selection: {
          tagStatus: 'tagged',
          tagPatternList: ['ferry-candidate-*'],
          countType: 'sinceImagePushed',
          countUnit: 'days',
          countNumber: 14,
        },
        action: { type: 'expire' },
      },
    ]);
  });

  it("lets Lambda pull for this account's functions only", () => {
    fullTemplate().hasResourceProperties('AWS::ECR::Repository', {
      RepositoryPolicyText: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'lambda.amazonaws.com' },
            Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            Condition: {
              StringLike: { 'aws:sourceArn': 'arn:aws:lambda:eu-west-1:123456789012:function:*' },
            },
          }),
        ],
      },
    });
  });

  it('retains the repository: live function versions may run its images', () => {
    fullTemplate().hasResource('AWS::ECR::Repository', { DeletionPolicy: 'Retain' });
  });
});

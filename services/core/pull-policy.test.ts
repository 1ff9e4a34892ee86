import { describe, expect, it } from 'vitest';
import { lambdaPullStatement, missingLambdaPull } from './pull-policy.ts';

const policy = (...Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const lambda = { Service: 'lambda.amazonaws.com' };

describe('missingLambdaPull', () => {
  it('finds nothing missing in the statement Ferry suggests', () => {
    expect(missingLambdaPull(policy(lambdaPullStatement('123456789012', 'eu-west-1')))).toEqual([]);
  });

  it('accepts wildcard actions and a list of service principals', () => {
    const statement = {
      Effect: 'Allow',
      Principal: { Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] },
      Action: 'ecr:*',
    };
    expect(missingLambdaPull(policy(statement))).toEqual([]);
  });

  it('names the action a statement leaves out', () => {
    const statement = { Effect: 'Allow', Principal: lambda, Action: ['ecr:BatchGetImage'] };
    expect(missingLambdaPull(policy(statement))).toEqual(['ecr:GetDownloadUrlForLayer']);
  });

  it('ignores statements for other principals', () => {
    const statement = {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
    };
    expect(missingLambdaPull(policy(statement))).toEqual([
      'ecr:BatchGetImage',
      'ecr:GetDownloadUrlForLayer',
    ]);
  });

  it('lets a Deny naming Lambda take an allowed action back', () => {
    const allow = { Effect: 'Allow', Principal: lambda, Action: 'ecr:*' };
    const deny = { Effect: 'Deny', Principal: '*', Action: 'ecr:BatchGetImage' };
    expect(missingLambdaPull(policy(allow, deny))).toEqual(['ecr:BatchGetImage']);
  });

  it('allows nothing for a policy that is not JSON', () => {
    expect(missingLambdaPull('{not json')).toHaveLength(2);
  });
});

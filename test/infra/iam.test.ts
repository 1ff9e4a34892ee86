import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { parseFerryConfig } from '../../infra/config.ts';
import { FULL_CONTEXT, ferryStack, fullTemplate } from './support/app.ts';
import {
  actionsOf,
  allowStatementsOf,
  identityStatements,
  isReadOnlyAction,
  mutatingActionsOnStar,
  RESOURCELESS_ACTIONS,
} from './support/iam.ts';

describe('IAM: no mutating action on Resource "*"', () => {
  it('holds for the whole Ferry stack', () => {
    expect(identityStatements(fullTemplate()).length).toBeGreaterThan(20);
    expect(mutatingActionsOnStar(fullTemplate())).toEqual([]);
  });

  it('holds for the stack cdk.json configures (tag opt-in only, no Slack)', () => {
    const config = parseFerryConfig({
      ...FULL_CONTEXT,
      'ferry:optInNamePrefix': undefined,
      'ferry:slack': false,
    });
    expect(mutatingActionsOnStar(Template.fromStack(ferryStack({ config }).stack))).toEqual([]);
  });

  it('fails on a deliberately bad policy (the check can fail)', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Bad');
    const role = new Role(stack, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    role.addToPolicy(
      new PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject'], resources: ['*'] }),
    );
    role.addToPolicy(
      new PolicyStatement({
        actions: ['lambda:UpdateFunctionCode'],
        resources: ['arn:aws:lambda:*:*:function:x'],
      }),
    );
    new ManagedPolicy(stack, 'Managed', {
      statements: [
        new PolicyStatement({
          actions: ['dynamodb:DeleteTable', 'dynamodb:DescribeTable'],
          resources: ['*'],
        }),
      ],
    });
    const violations = mutatingActionsOnStar(Template.fromStack(stack));
    expect(violations.map((v) => v.action).sort()).toEqual([
      'dynamodb:DeleteTable',
      's3:PutObject',
    ]);
  });

  it('classifies reads by their verb', () => {
    for (const read of [
      'ecr:GetAuthorizationToken',
      'ecr:BatchGetImage',
      'ecr:DescribeImages',
      'lambda:ListTags',
    ]) {
      expect(isReadOnlyAction(read)).toBe(true);
    }
    for (const write of [
      'ecr:PutImage',
      'ecr:BatchDeleteImage',
      'lambda:Getaway',
      'logs:CreateLogDelivery',
      's3:*',
    ]) {
      expect(isReadOnlyAction(write)).toBe(false);
    }
  });
});

describe('IAM: least privilege', () => {
  it('uses no wildcard action but read ones (Get*, List*, Describe*)', () => {
    const wildcards = identityStatements(fullTemplate()).flatMap(({ statement }) =>
      actionsOf([statement]).filter((a) => a.includes('*')),
    );
    for (const action of new Set(wildcards))
      expect(action).toMatch(/^[a-z0-9-]+:(Get|List|Describe)[A-Za-z]*\*$/);
  });

  it('grants Resource "*" only for actions AWS defines without a resource, each role its own', () => {
    const byRole: Record<string, string[]> = {};
    for (const { roles, statement } of identityStatements(fullTemplate())) {
      if (statement.Effect !== 'Allow' || ![statement.Resource].flat().includes('*')) continue;
      // By logical id without CDK's hash suffix.
      for (const role of roles.map((id) => id.replace(/[0-9A-F]{8}$/, ''))) {
        byRole[role] = [...(byRole[role] ?? []), ...actionsOf([statement])].sort();
      }
    }
    const { WorkflowStateMachineRole: tracingAndLogs, ...others } = byRole;
    expect(others).toEqual({
      // `docker login` in the builds.
      BuildsX86Role: ['ecr:GetAuthorizationToken'],
      BuildsArm64Role: ['ecr:GetAuthorizationToken'],
      // Judging a step reads the versions' Lambda metrics.
      WorkersJudgeStepRole: ['cloudwatch:GetMetricData'],
    });
    // X-Ray and CloudWatch Logs vended delivery, added by CDK (see RESOURCELESS_ACTIONS).
    expect(tracingAndLogs?.length).toBeGreaterThan(0);
    for (const action of tracingAndLogs ?? [])
      expect(action in RESOURCELESS_ACTIONS || isReadOnlyAction(action), action).toBe(true);
  });

  it('attaches no AWS-managed policy to any role', () => {
    for (const role of Object.values(fullTemplate().findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('lets the ECR trigger Lambda record deployments, release a lock it took and start executions only', () => {
    expect(actionsOf(allowStatementsOf(fullTemplate(), 'EcrTriggerRole'))).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'states:StartExecution',
    ]);
  });

  it('scopes Lambda actions to every function tagged ferry:managed=true when no prefix is set', () => {
    const config = parseFerryConfig({ ...FULL_CONTEXT, 'ferry:optInNamePrefix': undefined });
    const template = Template.fromStack(ferryStack({ config }).stack);
    const [statement] = allowStatementsOf(template, 'WorkersSmokeInvokeRole').filter(
      (s) => s.Action === 'lambda:InvokeFunction',
    );
    expect(statement).toEqual({
      Effect: 'Allow',
      Action: 'lambda:InvokeFunction',
      Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:*',
      Condition: { StringEquals: { 'aws:ResourceTag/ferry:managed': 'true' } },
    });
  });

  it("lets the API read only opted-in functions' Lambda log groups, by the name prefix", () => {
    const logReads = (template: Template) =>
      allowStatementsOf(template, 'ApiHandlerRole').filter((s) =>
        actionsOf([s]).includes('logs:FilterLogEvents'),
      );
    expect(logReads(fullTemplate())).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:DescribeLogStreams', 'logs:FilterLogEvents'],
        Resource: 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/prod-*',
      },
    ]);
    // Tags do not reach log groups: with tag opt-in alone, Lambda's log groups, never any other.
    const config = parseFerryConfig({ ...FULL_CONTEXT, 'ferry:optInNamePrefix': undefined });
    expect(logReads(Template.fromStack(ferryStack({ config }).stack))).toEqual([
      expect.objectContaining({
        Resource: 'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/*',
      }),
    ]);
  });

  it('scopes Lambda actions by name prefix alone when tag opt-in is off', () => {
    const config = parseFerryConfig({ ...FULL_CONTEXT, 'ferry:optInTag': false });
    const template = Template.fromStack(ferryStack({ config }).stack);
    const [statement] = allowStatementsOf(template, 'WorkersSmokeInvokeRole').filter(
      (s) => s.Action === 'lambda:InvokeFunction',
    );
    expect(statement).toEqual({
      Effect: 'Allow',
      Action: 'lambda:InvokeFunction',
      Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:prod-*',
    });
  });
});

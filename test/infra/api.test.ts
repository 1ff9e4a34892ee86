import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseFerryConfig } from '../../infra/config.ts';
import { OPT_IN_TAG } from '../../infra/constructs/worker-access.ts';
import { OPT_IN_TAG as DOCTOR_OPT_IN_TAG } from '../../services/app/doctor.ts';
import { type Cfn, FULL_CONTEXT, ferryStack, fullTemplate } from './support/app.ts';
import { actionsOf, allowStatementsOf } from './support/iam.ts';

const apiFunction = (template = fullTemplate()) =>
  Object.values(template.findResources('AWS::Lambda::Function')).find(
    (r) => r.Properties.Description === 'Ferry API',
  )?.Properties as Record<string, Cfn>;

describe('Construct: Api', () => {
  it('serves an HTTP API whose default route requires IAM (SigV4) authorization', () => {
    fullTemplate().hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    fullTemplate().hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: '$default',
      AuthorizationType: 'AWS_IAM',
    });
  });

  it('leaves only GET /healthz and the Slack command route unsigned', () => {
    const routes = Object.values(fullTemplate().findResources('AWS::ApiGatewayV2::Route'));
    const unsigned = routes
      .filter((r) => r.Properties.AuthorizationType !== 'AWS_IAM')
      .map((r) => [r.Properties.RouteKey, r.Properties.AuthorizationType]);
    expect(unsigned.sort()).toEqual([
      ['GET /healthz', 'NONE'],
      ['POST /v1/chatops/slack', 'NONE'],
    ]);
  });

  it('has no Slack route when Slack is off', () => {
    const config = parseFerryConfig({ ...FULL_CONTEXT, 'ferry:slack': false });
    const template = Template.fromStack(ferryStack({ config }).stack);
    const keys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => r.Properties.RouteKey,
    );
    expect(keys.sort()).toEqual([
      '$default',
      'GET /',
      'GET /deployments/{id}',
      'GET /functions/{name}',
      'GET /healthz',
    ]);
    expect(apiFunction(template).Environment.Variables.FERRY_SLACK_SECRET_ARN).toBeUndefined();
  });

  it('serves the web page on GET routes that require IAM (SigV4) like the API', () => {
    const routes = Object.values(fullTemplate().findResources('AWS::ApiGatewayV2::Route'));
    const web = routes
      .filter((r) => /^GET \/(functions|deployments|$)/.test(r.Properties.RouteKey))
      .map((r) => [r.Properties.RouteKey, r.Properties.AuthorizationType]);
    expect(web.sort()).toEqual([
      ['GET /', 'AWS_IAM'],
      ['GET /deployments/{id}', 'AWS_IAM'],
      ['GET /functions/{name}', 'AWS_IAM'],
    ]);
  });

  it('logs access to CloudWatch and throttles the stage', () => {
    fullTemplate().hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: Match.objectLike({
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] },
      }),
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  it('runs the API Lambda (arm64, Node.js 22) with the environment services/api/config.ts reads', () => {
    const fn = apiFunction();
    expect(fn).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
    });
    const env = fn.Environment.Variables;
    expect(env).toMatchObject({
      FERRY_TABLE_NAME: { Ref: expect.stringMatching(/^StoreTable/) },
      FERRY_STATE_MACHINE_ARN: { Ref: expect.stringMatching(/^WorkflowStateMachine/) },
      FERRY_ADMIN_TEAM: 'platform',
      FERRY_SLACK_SECRET_ARN: { Ref: expect.stringMatching(/^Slack/) },
      FERRY_SLACK_USERS: JSON.stringify({ U024BE7LH: 'payments' }),
      FERRY_PUBLIC_BASE_URL: { 'Fn::Join': expect.anything() },
    });
    expect(JSON.parse(env.FERRY_PRINCIPAL_TEAMS)).toEqual(FULL_CONTEXT['ferry:principalTeams']);
    expect(JSON.parse(env.FERRY_WATCHED_REPOSITORIES)).toEqual(FULL_CONTEXT['ferry:repositories']);
  });

  it('passes the cursor key by its secret ARN: the Lambda reads it at run time, its value appears nowhere', () => {
    const env = apiFunction().Environment.Variables;
    expect(env.FERRY_CURSOR_SECRET).toBeUndefined();
    expect(env.FERRY_CURSOR_SECRET_ARN).toEqual({ Ref: expect.stringMatching(/^CursorSecret/) });
    expect(JSON.stringify(fullTemplate().toJSON())).not.toContain('{{resolve:secretsmanager:');
    const reads = allowStatementsOf(fullTemplate(), 'ApiHandlerRole').filter((s) =>
      actionsOf([s]).includes('secretsmanager:GetSecretValue'),
    );
    expect(JSON.stringify(reads.map((s) => s.Resource))).toContain('CursorSecret');
  });

  it('may Query the table (rules) and the history index, and nothing else of DynamoDB', () => {
    const statements = allowStatementsOf(fullTemplate(), 'ApiHandlerRole').filter((s) =>
      actionsOf([s]).some((a) => a.startsWith('dynamodb:')),
    );
    expect(statements.map((s) => s.Resource)).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^StoreTable/), 'Arn'] },
      {
        'Fn::Join': [
          '',
          [{ 'Fn::GetAtt': [expect.stringMatching(/^StoreTable/), 'Arn'] }, '/index/byFunction'],
        ],
      },
    ]);
  });

  it("may use the store, start executions, end their waits, read its secrets, target functions' and builds' logs, invoke gc — nothing else", () => {
    const statements = allowStatementsOf(fullTemplate(), 'ApiHandlerRole');
    expect(actionsOf(statements)).toEqual([
      'codebuild:BatchGetBuilds',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      'ecr:GetRepositoryPolicy',
      'lambda:GetAlias',
      'lambda:GetFunction',
      'lambda:InvokeFunction',
      'lambda:ListTags',
      'logs:CreateLogStream',
      'logs:DescribeLogStreams',
      'logs:FilterLogEvents',
      'logs:GetLogEvents',
      'logs:PutLogEvents',
      'secretsmanager:GetSecretValue',
      'states:SendTaskSuccess',
      'states:StartExecution',
    ]);
    // Approve and abort's callbacks: on the deploy state machine only, never '*'.
    const callbacks = statements.find((s) => actionsOf([s]).includes('states:SendTaskSuccess'));
    expect(callbacks?.Resource).toEqual({ Ref: expect.stringMatching(/^WorkflowStateMachine/) });
    // POST /v1/gc: the gc Lambda, unqualified, and no other function.
    const gc = statements.find((s) => actionsOf([s]).includes('lambda:InvokeFunction'));
    expect(gc?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^GcHandler/), 'Arn'] });
    expect(apiFunction().Environment.Variables.FERRY_GC_FUNCTION_NAME).toEqual({
      Ref: expect.stringMatching(/^GcHandler/),
    });
  });

  it("reads target functions (GetFunction, GetAlias, ListTags) under the workers' opt-in, and its repositories' policies by ARN", () => {
    const statements = allowStatementsOf(fullTemplate(), 'ApiHandlerRole');
    const lambda = statements.filter((s) =>
      actionsOf([s]).some((a) => a.startsWith('lambda:') && a !== 'lambda:InvokeFunction'),
    );
    expect(lambda).toHaveLength(1);
    expect(actionsOf(lambda)).toEqual(['lambda:GetAlias', 'lambda:GetFunction', 'lambda:ListTags']);
    expect(lambda[0]?.Condition).toEqual({
      StringEquals: { [`aws:ResourceTag/${OPT_IN_TAG.key}`]: OPT_IN_TAG.value },
    });
    expect(JSON.stringify(lambda[0]?.Resource)).toContain(':function:prod-*');
    const ecr = statements.filter((s) => actionsOf([s]).includes('ecr:GetRepositoryPolicy'));
    expect(actionsOf(ecr)).toEqual(['ecr:GetRepositoryPolicy']);
    const resources = JSON.stringify(ecr.map((s) => s.Resource));
    expect(resources).toContain(':repository/payments-api');
    expect(resources).toContain(':repository/team/checkout');
    expect(resources).toContain('ImagesRepository');
    expect(resources).not.toContain('*');
    expect(apiFunction().Environment.Variables.FERRY_BUILD_REPOSITORY_NAME).toEqual({
      Ref: expect.stringMatching(/^ImagesRepository/),
    });
    // The doctor checks the same tag the IAM condition names.
    expect(DOCTOR_OPT_IN_TAG).toEqual(OPT_IN_TAG);
    expect(JSON.parse(apiFunction().Environment.Variables.FERRY_OPT_IN)).toEqual({
      tag: true,
      namePrefix: 'prod-',
    });
  });

  it('is not created while services/api/handler.ts does not exist (the stack says so)', () => {
    const { stack } = ferryStack({ apiHandlerEntry: '/nonexistent/handler.ts' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
    expect(stack.api).toBeUndefined();
  });
});

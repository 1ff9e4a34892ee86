import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { type Cfn, fullTemplate } from './support/app.ts';

const resources = (type: string) =>
  Object.values(fullTemplate().findResources(type)).map((r) => r.Properties);
const alarm = (description: RegExp) =>
  resources('AWS::CloudWatch::Alarm').find((a) => description.test(a.AlarmDescription));
const topicRef = { Ref: expect.stringMatching(/^AlertsTopic/) };

describe('Construct: Alerts', () => {
  it('publishes to an SNS topic encrypted with a rotating customer key, over TLS only', () => {
    fullTemplate().hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertsKey'), 'Arn'] },
    });
    fullTemplate().hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    fullTemplate().hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('lets CloudWatch and EventBridge use the key to publish', () => {
    const [key] = resources('AWS::KMS::Key');
    const services = key.KeyPolicy.Statement.filter((s: Cfn) => s.Principal?.Service).flatMap(
      (s: Cfn) => s.Principal.Service,
    );
    expect(services.sort()).toEqual(['cloudwatch.amazonaws.com', 'events.amazonaws.com']);
  });

  it("alerts on the state machine's FAILED, TIMED_OUT and ABORTED executions", () => {
    const rule = resources('AWS::Events::Rule').find(
      (r) => r.EventPattern.source[0] === 'aws.states',
    );
    expect(rule?.EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: {
        status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
        stateMachineArn: [{ Ref: expect.stringMatching(/^WorkflowStateMachine/) }],
      },
    });
    expect(rule?.Targets).toEqual([expect.objectContaining({ Arn: topicRef })]);
  });
});

describe('Construct: FerryMetrics', () => {
  it.each([
    ['Deployments', 'Finalize', '{ $.message = "deployment finalized" && $.written IS TRUE }', '1'],
    [
      'RollbackFailed',
      'Finalize',
      '{ $.message = "deployment finalized" && $.written IS TRUE && $.status = "ROLLBACK_FAILED" }',
      '1',
    ],
    [
      'ImageCompressedBytes',
      'ScanImage',
      '{ $.message = "image scanned" && $.compressedBytes >= 0 }',
      '$.compressedBytes',
    ],
    [
      'InitDurationMs',
      'SmokeInvoke',
      '{ $.message = "smoke invoke judged" && $.initDurationMs > 0 }',
      '$.initDurationMs',
    ],
  ])("publishes Ferry/%s from the %s worker's log lines", (metric, worker, pattern, value) => {
    fullTemplate().hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: Match.stringLikeRegexp(`^Workers${worker}Logs`) },
      FilterPattern: pattern,
      MetricTransformations: [
        Match.objectLike({ MetricNamespace: 'Ferry', MetricName: metric, MetricValue: value }),
      ],
    });
  });

  it('reads log lines the workers really write (message and fields)', () => {
    const source = (step: string) =>
      readFileSync(new URL(`../../services/workers/${step}/core.ts`, import.meta.url), 'utf8');
    expect(source('finalize')).toMatch(
      /'deployment finalized', \{ deploymentId, status, reason, written \}/,
    );
    expect(source('scan-image')).toMatch(/'image scanned', \{[^}]*compressedBytes/);
    expect(source('smoke-invoke')).toMatch(/'smoke invoke judged', \{[^}]*initDurationMs:/);
  });

  it('counts deployments per final status', () => {
    fullTemplate().hasResourceProperties('AWS::Logs::MetricFilter', {
      MetricTransformations: [
        Match.objectLike({
          MetricName: 'Deployments',
          Dimensions: [{ Key: 'Status', Value: '$.status' }],
        }),
      ],
    });
  });
});

describe('Construct: Alarms', () => {
  it('alarms on Ferry/RollbackFailed at the first occurrence', () => {
    expect(alarm(/CRITICAL: a rollback failed/)).toMatchObject({
      Namespace: 'Ferry',
      MetricName: 'RollbackFailed',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
    });
  });

  it('alarms on workflow failures: timed-out or aborted executions and FAILED deployments', () => {
    const workflow = alarm(/Deploy executions timed out/);
    expect(workflow?.AlarmActions).toEqual([topicRef]);
    const byId = Object.fromEntries(workflow?.Metrics.map((m: Cfn) => [m.Id, m]));
    expect(
      byId.expr_1?.Expression ?? workflow?.Metrics.find((m: Cfn) => m.Expression)?.Expression,
    ).toBe('timedOut + aborted + failed');
    expect(byId.timedOut.MetricStat.Metric).toMatchObject({
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsTimedOut',
    });
    expect(byId.aborted.MetricStat.Metric).toMatchObject({
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsAborted',
    });
    expect(byId.failed.MetricStat.Metric).toMatchObject({
      Namespace: 'Ferry',
      MetricName: 'Deployments',
      Dimensions: [{ Name: 'Status', Value: 'FAILED' }],
    });
  });

  it('alarms on errors summed over all nine workers, sustained for 15 minutes', () => {
    const workers = alarm(/worker Lambdas are failing/);
    expect(workers).toMatchObject({ EvaluationPeriods: 3, Threshold: 1, AlarmActions: [topicRef] });
    const errors = workers?.Metrics.filter(
      (m: Cfn) => m.MetricStat?.Metric.MetricName === 'Errors',
    );
    expect(errors).toHaveLength(9);
  });

  it('alarms on API 5xx', () => {
    expect(alarm(/The Ferry API answered 5xx/)).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Statistic: 'Sum',
      AlarmActions: [topicRef],
    });
  });
});

describe('Construct: FerryDashboard', () => {
  it('charts deploys, durations, rollbacks, image sizes, init durations, workers and the API', () => {
    const [dashboard] = resources('AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard.DashboardBody);
    for (const title of [
      'Deploys by outcome',
      'Deploy duration',
      'Rollbacks',
      'Image size (compressed bytes)',
      'Init duration of new versions',
      'Workers: errors',
      'API requests and errors',
    ]) {
      expect(body).toContain(title);
    }
    for (const metric of [
      'Deployments',
      'RollbackFailed',
      'ImageCompressedBytes',
      'InitDurationMs',
      'ExecutionTime',
    ]) {
      expect(body).toContain(`\\"${metric}\\"`);
    }
  });
});

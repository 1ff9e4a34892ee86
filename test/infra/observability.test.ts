import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { countDeploymentEnded } from '../../services/core/metrics.ts';
import { WORKER_STEPS } from '../../services/core/steps.ts';
import { workerTelemetry } from '../../services/workers/telemetry.ts';
import { type Cfn, fullTemplate } from './support/app.ts';
import { emittedMetrics } from './support/emitted-metrics.ts';

const resources = (type: string) =>
  Object.values(fullTemplate().findResources(type)).map((r) => r.Properties);
const alarm = (description: RegExp) =>
  resources('AWS::CloudWatch::Alarm').find((a) => description.test(a.AlarmDescription));
const topicRef = { Ref: expect.stringMatching(/^AlertsTopic/) };
/** Logical id of a worker's function, found by its description. */
const workerFunctionId = (step: string) =>
  Object.entries(fullTemplate().findResources('AWS::Lambda::Function')).find(
    ([, r]) => r.Properties.Description === `Ferry ${step} step`,
  )?.[0];
/** A metric's identity in CloudWatch: namespace, name and dimensions (order-free). */
const identity = (m: Cfn) => ({
  Namespace: m?.Namespace,
  MetricName: m?.MetricName,
  Dimensions: [...(m?.Dimensions ?? [])].sort((a: Cfn, b: Cfn) => (a.Name < b.Name ? -1 : 1)),
});

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

describe('FerryMetrics: the EMF metrics the workers emit', () => {
  it('replaces every metric filter on log text: the stack defines none', () => {
    fullTemplate().resourceCountIs('AWS::Logs::MetricFilter', 0);
  });

  it('needs no IAM beyond writing logs: no role may put metric data', () => {
    const actions = resources('AWS::IAM::Policy').flatMap((p) =>
      p.PolicyDocument.Statement.flatMap((s: Cfn) => [s.Action].flat()),
    );
    // CloudWatch is only read (the judged releases' alarms and metrics), never written.
    expect([...new Set(actions.filter((a: string) => a.startsWith('cloudwatch:')))].sort()).toEqual(
      ['cloudwatch:DescribeAlarms', 'cloudwatch:GetMetricData'],
    );
  });
});

describe('Construct: Alarms', () => {
  it('alarms on Ferry/RollbackFailed at the first occurrence', () => {
    expect(alarm(/CRITICAL: a rollback failed/)).toMatchObject({
      Namespace: 'Ferry',
      MetricName: 'RollbackFailed',
      Dimensions: [{ Name: 'service', Value: 'ferry-worker' }],
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
      Dimensions: expect.arrayContaining([{ Name: 'Status', Value: 'FAILED' }]),
    });
  });

  it("alarms on exactly the metrics the workers' code emits (namespace, name, every dimension)", async () => {
    const emitted = await emittedMetrics(workerTelemetry, (metrics) => {
      countDeploymentEnded(metrics, 'FAILED');
      countDeploymentEnded(metrics, 'ROLLBACK_FAILED');
    });
    const rollbackFailed = alarm(/CRITICAL: a rollback failed/);
    const workflow = alarm(/Deploy executions timed out/);
    const failed = workflow?.Metrics.find((m: Cfn) => m.Id === 'failed').MetricStat.Metric;
    for (const alarmed of [identity(rollbackFailed), identity(failed)]) {
      expect(emitted.map(identity)).toContainEqual(alarmed);
    }
  });

  it("alarms on every worker's errors, in exactly one alarm of at most 10 metrics, sustained for 15 minutes", () => {
    const alarms = resources('AWS::CloudWatch::Alarm').filter((a) =>
      /worker Lambdas .* are failing/.test(a.AlarmDescription),
    );
    expect(alarms.length).toBeGreaterThan(1);
    const alarmed: Cfn[] = [];
    for (const workers of alarms) {
      expect(workers).toMatchObject({
        EvaluationPeriods: 3,
        Threshold: 1,
        AlarmActions: [topicRef],
      });
      // CloudWatch's limit on the metrics one alarm's math expression may use.
      expect(workers.Metrics.filter((m: Cfn) => m.MetricStat).length).toBeLessThanOrEqual(10);
      const errors = workers.Metrics.filter(
        (m: Cfn) => m.MetricStat?.Metric.MetricName === 'Errors',
      );
      // The expression sums exactly the alarm's metrics.
      const ids = errors.map((m: Cfn) => m.Id).sort();
      const [expression] = workers.Metrics.filter((m: Cfn) => m.Expression);
      expect(expression.Expression.split(' + ').sort()).toEqual(ids);
      alarmed.push(...errors.map((m: Cfn) => m.MetricStat.Metric.Dimensions));
    }
    const workerRefs = WORKER_STEPS.map((step) => [
      { Name: 'FunctionName', Value: { Ref: workerFunctionId(step) } },
    ]);
    expect(alarmed).toHaveLength(WORKER_STEPS.length);
    expect(alarmed).toEqual(expect.arrayContaining(workerRefs));
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

  it("charts the metrics the workers' code emits, with every dimension they carry", async () => {
    const [dashboard] = resources('AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard.DashboardBody);
    const emitted = await emittedMetrics(workerTelemetry, (metrics) => {
      countDeploymentEnded(metrics, 'ROLLBACK_FAILED');
      metrics.add('ImageCompressedBytes', 1024, {});
      metrics.add('InitDurationMs', 200, {});
    });
    expect(emitted.map((m) => m.MetricName).sort()).toEqual([
      'Deployments',
      'ImageCompressedBytes',
      'InitDurationMs',
      'RollbackFailed',
    ]);
    for (const metric of emitted) {
      // The dashboard's form: [namespace, name, dimension, value, …], dimensions by name.
      const { Dimensions, MetricName, Namespace } = identity(metric);
      const row = [Namespace, MetricName, ...Dimensions.flatMap((d: Cfn) => [d.Name, d.Value])];
      expect(body).toContain(
        JSON.stringify(row.map((v) => JSON.stringify(v)).join(',')).slice(1, -1),
      );
    }
  });
});

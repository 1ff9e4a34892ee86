/**
 * CloudWatchVersionHealth against a mocked CloudWatchClient: the exact GetMetricData request
 * (namespace, metric names, statistics, the three dimensions, the window widened to whole
 * minutes, one period over it) and how answers become a sample. No independent implementation
 * answers GetMetricData with the metrics Lambda itself publishes, so the request's shape is
 * pinned here; the VersionHealth contract also runs it on moto's CloudWatch with data put there
 * under the same names (test/contracts/version-health.test.ts).
 */
import 'aws-sdk-client-mock-vitest/extend';
import {
  CloudWatchClient,
  CloudWatchServiceException,
  GetMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CloudWatchVersionHealth } from './cloudwatch-version-health.ts';

const cloudwatch = mockClient(CloudWatchClient);
const health = () => new CloudWatchVersionHealth(new CloudWatchClient({ region: 'eu-west-1' }));
const inputs = () => cloudwatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);

const dimensions = [
  { Name: 'FunctionName', Value: 'api' },
  { Name: 'Resource', Value: 'api:live' },
  { Name: 'ExecutedVersion', Value: '7' },
];
const query = (id: string, metric: string, stat: string, period: number) => ({
  Id: id,
  MetricStat: {
    Metric: { Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: dimensions },
    Period: period,
    Stat: stat,
  },
  ReturnData: true,
});

beforeEach(() => {
  cloudwatch.reset();
});

describe('CloudWatchVersionHealth', () => {
  it('asks for Invocations, Errors, Throttles (Sum) and Duration (p90) by ExecutedVersion on the alias', async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'invocations', Values: [24], StatusCode: 'Complete' },
        { Id: 'errors', Values: [12], StatusCode: 'Complete' },
        { Id: 'throttles', Values: [1], StatusCode: 'Complete' },
        { Id: 'duration', Values: [812.5], StatusCode: 'Complete' },
      ],
    });
    const sample = await health().sample(
      'api',
      'live',
      '7',
      new Date('2026-03-01T10:00:20Z'),
      new Date('2026-03-01T10:01:20Z'),
    );
    expect(sample).toEqual({ invocations: 24, errors: 12, throttles: 1, durationP90Ms: 812.5 });
    // 10:00:20–10:01:20 widens to 10:00–10:02: whole minutes, as CloudWatch keeps them.
    expect(inputs()).toEqual([
      {
        MetricDataQueries: [
          query('invocations', 'Invocations', 'Sum', 120),
          query('errors', 'Errors', 'Sum', 120),
          query('throttles', 'Throttles', 'Sum', 120),
          query('duration', 'Duration', 'p90', 120),
        ],
        StartTime: new Date('2026-03-01T10:00:00Z'),
        EndTime: new Date('2026-03-01T10:02:00Z'),
      },
    ]);
  });

  it('reads no datapoints as zeros and no p90, and a sub-minute window as its minute', async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: ['invocations', 'errors', 'throttles', 'duration'].map((Id) => ({
        Id,
        Values: [],
        StatusCode: 'Complete',
      })),
    });
    const at = new Date('2026-03-01T10:00:00Z');
    await expect(health().sample('api', 'live', '7', at, at)).resolves.toEqual({
      invocations: 0,
      errors: 0,
      throttles: 0,
      durationP90Ms: null,
    });
    expect(inputs()[0]).toMatchObject({
      StartTime: at,
      EndTime: new Date('2026-03-01T10:01:00Z'),
      MetricDataQueries: expect.arrayContaining([query('duration', 'Duration', 'p90', 60)]),
    });
  });

  it('follows NextToken, adds counts across pages and keeps the worst p90', async () => {
    cloudwatch
      .on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'invocations', Values: [10], StatusCode: 'PartialData' },
          { Id: 'duration', Values: [100], StatusCode: 'PartialData' },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'invocations', Values: [5], StatusCode: 'Complete' },
          { Id: 'errors', Values: [2], StatusCode: 'Complete' },
          { Id: 'duration', Values: [300], StatusCode: 'Complete' },
        ],
      });
    const sample = await health().sample(
      'api',
      'live',
      '7',
      new Date('2026-03-01T10:00:00Z'),
      new Date('2026-03-01T10:05:00Z'),
    );
    expect(sample).toEqual({ invocations: 15, errors: 2, throttles: 0, durationP90Ms: 300 });
    expect(inputs().map((input) => input.NextToken)).toEqual([undefined, 'page-2']);
  });

  it('names what CloudWatch could not answer: forbidden, internal error, throttling', async () => {
    const window = [new Date('2026-03-01T10:00:00Z'), new Date('2026-03-01T10:01:00Z')] as const;
    cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'errors', StatusCode: 'Forbidden', Messages: [] }],
    });
    await expect(health().sample('api', 'live', '7', ...window)).rejects.toMatchObject({
      name: 'AccessDeniedError',
    });
    cloudwatch.reset();
    cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'duration', StatusCode: 'InternalError', Messages: [{ Code: 'X', Value: 'busy' }] },
      ],
    });
    await expect(health().sample('api', 'live', '7', ...window)).rejects.toMatchObject({
      name: 'TransientError',
      message: expect.stringContaining('duration internal error (X: busy)'),
    });
    cloudwatch.reset();
    cloudwatch.on(GetMetricDataCommand).rejects(
      new CloudWatchServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        message: 'Rate exceeded',
        $metadata: {},
      }),
    );
    await expect(health().sample('api', 'live', '7', ...window)).rejects.toMatchObject({
      name: 'TransientError',
      message: expect.stringContaining('cloudwatch:GetMetricData api:live version 7 failed'),
    });
  });
});

/**
 * The VersionHealth port on AWS: Lambda's own metrics for the calls through an alias, by the
 * version that ran them. Lambda publishes Invocations, Errors, Throttles and Duration under
 * the dimensions FunctionName, Resource (`name:alias`) and ExecutedVersion when a call goes
 * through an alias; one GetMetricData call reads all four for one window.
 *
 * CloudWatch keeps these per minute and publishes them a minute or two late, so the window is
 * widened to whole minutes here (CloudWatch would round the start down anyway) and a caller
 * judging "the last minute" must allow for the delay.
 */
import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { AccessDeniedError, TransientError } from '../../core/errors.ts';
import type { VersionHealth, VersionSample } from '../../core/ports.ts';
import { toFerryError } from './aws-errors.ts';

const MINUTE_MS = 60_000;

/** The four figures, by query id: each one metric and one statistic. */
const FIGURES = {
  invocations: { metric: 'Invocations', stat: 'Sum' },
  errors: { metric: 'Errors', stat: 'Sum' },
  throttles: { metric: 'Throttles', stat: 'Sum' },
  duration: { metric: 'Duration', stat: 'p90' },
} as const;

type FigureId = keyof typeof FIGURES;

/** The GetMetricData queries for one version behind one alias, one period over the window. */
export function versionQueries(
  name: string,
  alias: string,
  version: string,
  periodSeconds: number,
): MetricDataQuery[] {
  const dimensions = [
    { Name: 'FunctionName', Value: name },
    { Name: 'Resource', Value: `${name}:${alias}` },
    { Name: 'ExecutedVersion', Value: version },
  ];
  return Object.entries(FIGURES).map(([id, { metric, stat }]) => ({
    Id: id,
    MetricStat: {
      Metric: { Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: dimensions },
      Period: periodSeconds,
      Stat: stat,
    },
    ReturnData: true,
  }));
}

/** VersionHealth from CloudWatch's Lambda metrics. */
export class CloudWatchVersionHealth implements VersionHealth {
  constructor(private readonly client: CloudWatchClient) {}

  async sample(
    name: string,
    alias: string,
    version: string,
    from: Date,
    to: Date,
  ): Promise<VersionSample> {
    const start = Math.floor(from.getTime() / MINUTE_MS) * MINUTE_MS;
    const end = Math.max(start + MINUTE_MS, Math.ceil(to.getTime() / MINUTE_MS) * MINUTE_MS);
    // One period spanning the window: one datapoint per figure, and a p90 of the whole window.
    const queries = versionQueries(name, alias, version, (end - start) / 1000);
    const context = `cloudwatch:GetMetricData ${name}:${alias} version ${version}`;
    const values: Record<FigureId, number[]> = {
      invocations: [],
      errors: [],
      throttles: [],
      duration: [],
    };
    let nextToken: string | undefined;
    do {
      const out = await this.client
        .send(
          new GetMetricDataCommand({
            MetricDataQueries: queries,
            StartTime: new Date(start),
            EndTime: new Date(end),
            NextToken: nextToken,
          }),
        )
        .catch((error: unknown) => {
          throw toFerryError(error, context);
        });
      for (const result of out.MetricDataResults ?? []) {
        checkStatus(result, context);
        const id = result.Id as FigureId;
        if (Object.hasOwn(values, id)) values[id].push(...(result.Values ?? []));
      }
      nextToken = out.NextToken;
    } while (nextToken);
    const sum = (list: number[]) => list.reduce((total, value) => total + value, 0);
    return {
      invocations: sum(values.invocations),
      errors: sum(values.errors),
      throttles: sum(values.throttles),
      // Percentiles do not add up; should CloudWatch split the window, the worst one stands.
      durationP90Ms: values.duration.length > 0 ? Math.max(...values.duration) : null,
    };
  }
}

/** A result CloudWatch could not complete is an error, never a zero. */
function checkStatus(result: MetricDataResult, context: string): void {
  const messages = (result.Messages ?? []).map((m) => `${m.Code}: ${m.Value}`).join('; ');
  if (result.StatusCode === 'Forbidden') {
    throw new AccessDeniedError(`${context}: ${result.Id} forbidden (${messages})`);
  }
  if (result.StatusCode === 'InternalError') {
    throw new TransientError(`${context}: ${result.Id} internal error (${messages})`);
  }
}

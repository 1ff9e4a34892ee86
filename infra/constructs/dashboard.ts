/**
 * One CloudWatch dashboard for Ferry: deploys by outcome, durations, rollbacks, image sizes and
 * cold starts (custom `Ferry` metrics), plus workers and API health.
 */
import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Dashboard, GraphWidget, type IMetric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FerryMetrics } from './ferry-metrics.ts';

/** Properties of the FerryDashboard. */
export interface FerryDashboardProps {
  /** The deploy state machine. */
  readonly stateMachine: StateMachine;
  /** Ferry's custom metrics. */
  readonly metrics: FerryMetrics;
  /** The worker functions. */
  readonly workers: readonly IFunction[];
  /**
   * The HTTP API.
   * @default - no API widget
   */
  readonly httpApi?: IHttpApi;
}

const graph = (title: string, left: IMetric[], right: IMetric[] = []) =>
  new GraphWidget({ title, left, right, width: 12, height: 6 });

/** The Ferry dashboard. */
export class FerryDashboard extends Construct {
  /** The dashboard. */
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: FerryDashboardProps) {
    super(scope, id);
    const { metrics, stateMachine } = props;
    const hour = Duration.hours(1);
    const outcomes = (
      ['SUCCEEDED', 'REJECTED', 'FAILED', 'ROLLED_BACK', 'ROLLBACK_FAILED'] as const
    ).map((status) => metrics.deployments(status).with({ period: hour }));
    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
      widgets: [
        [
          graph('Deploys by outcome (per hour)', outcomes),
          graph('Deploy duration (execution time)', [
            stateMachine.metricTime({ statistic: Stats.p(50), label: 'p50' }),
            stateMachine.metricTime({ statistic: Stats.p(90), label: 'p90' }),
          ]),
        ],
        [
          graph('Rollbacks', [
            metrics.deployments('ROLLED_BACK').with({ period: hour }),
            metrics.rollbackFailed().with({ period: hour, label: 'rollback failed' }),
          ]),
          graph('Image size (compressed bytes)', [
            metrics.imageCompressedBytes('Average').with({ label: 'average' }),
            metrics.imageCompressedBytes('Maximum').with({ label: 'max' }),
          ]),
        ],
        [
          graph('Init duration of new versions (ms)', [
            metrics.initDurationMs('Average').with({ label: 'average' }),
            metrics.initDurationMs('p90').with({ label: 'p90' }),
          ]),
          graph(
            'Workers: errors',
            props.workers.map((fn) => fn.metricErrors({ statistic: 'Sum' })),
          ),
        ],
        ...(props.httpApi
          ? [
              [
                graph(
                  'API requests and errors',
                  [props.httpApi.metricCount({ statistic: 'Sum' })],
                  [
                    props.httpApi.metricClientError({ statistic: 'Sum' }),
                    props.httpApi.metricServerError({ statistic: 'Sum' }),
                  ],
                ),
              ],
            ]
          : []),
      ],
    });
  }
}

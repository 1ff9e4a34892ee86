/**
 * Ferry's custom metrics (namespace `Ferry`), derived by CloudWatch Logs metric filters from the
 * workers' structured log lines — the workers need no metrics code, and the numbers come from
 * the very lines a person reads when investigating.
 */
import { Duration } from 'aws-cdk-lib';
import { Metric, Unit } from 'aws-cdk-lib/aws-cloudwatch';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { DEPLOYMENT_STATUSES } from '../../services/core/deployment.ts';

/** The custom metrics namespace. */
export const FERRY_NAMESPACE = 'Ferry';

/** Properties of the FerryMetrics. */
export interface FerryMetricsProps {
  /** Log group of the Finalize worker ('deployment finalized' lines). */
  readonly finalizeLogs: ILogGroup;
  /** Log group of the ScanImage worker ('image scanned' lines). */
  readonly scanImageLogs: ILogGroup;
  /** Log group of the SmokeInvoke worker ('smoke invoke judged' lines). */
  readonly smokeInvokeLogs: ILogGroup;
}

// Finalize logs `written: true` once per deployment, on the first attempt past the status write,
// lock release and clean-up (a claim decides): a retry after a failed attempt still counts it,
// a retry after a complete one does not recount.
const FINALIZED = '$.message = "deployment finalized" && $.written IS TRUE';

/** The metric filters and the metrics they publish. */
export class FerryMetrics extends Construct {
  constructor(scope: Construct, id: string, props: FerryMetricsProps) {
    super(scope, id);
    new MetricFilter(this, 'Deployments', {
      logGroup: props.finalizeLogs,
      filterPattern: FilterPattern.literal(`{ ${FINALIZED} }`),
      metricNamespace: FERRY_NAMESPACE,
      metricName: 'Deployments',
      metricValue: '1',
      dimensions: { Status: '$.status' },
      unit: Unit.COUNT,
    });
    new MetricFilter(this, 'RollbackFailed', {
      logGroup: props.finalizeLogs,
      filterPattern: FilterPattern.literal(`{ ${FINALIZED} && $.status = "ROLLBACK_FAILED" }`),
      metricNamespace: FERRY_NAMESPACE,
      metricName: 'RollbackFailed',
      metricValue: '1',
      unit: Unit.COUNT,
    });
    new MetricFilter(this, 'ImageCompressedBytes', {
      logGroup: props.scanImageLogs,
      filterPattern: FilterPattern.literal(
        '{ $.message = "image scanned" && $.compressedBytes >= 0 }',
      ),
      metricNamespace: FERRY_NAMESPACE,
      metricName: 'ImageCompressedBytes',
      metricValue: '$.compressedBytes',
      unit: Unit.BYTES,
    });
    // Init Duration is null when the runtime reported none: `> 0` leaves those out.
    new MetricFilter(this, 'InitDuration', {
      logGroup: props.smokeInvokeLogs,
      filterPattern: FilterPattern.literal(
        '{ $.message = "smoke invoke judged" && $.initDurationMs > 0 }',
      ),
      metricNamespace: FERRY_NAMESPACE,
      metricName: 'InitDurationMs',
      metricValue: '$.initDurationMs',
      unit: Unit.MILLISECONDS,
    });
  }

  /** Finalized deployments with the given status (one per deployment). */
  deployments(status: (typeof DEPLOYMENT_STATUSES)[number]): Metric {
    return new Metric({
      namespace: FERRY_NAMESPACE,
      metricName: 'Deployments',
      dimensionsMap: { Status: status },
      statistic: 'Sum',
      period: Duration.minutes(5),
      label: status,
    });
  }

  /** Deployments that ended ROLLBACK_FAILED: the function may be half-restored. */
  rollbackFailed(): Metric {
    return this.metric('RollbackFailed', 'Sum');
  }

  /** Compressed size of scanned images. */
  imageCompressedBytes(statistic = 'Average'): Metric {
    return this.metric('ImageCompressedBytes', statistic);
  }

  /** Init Duration of new versions' first (cold) invoke. */
  initDurationMs(statistic = 'Average'): Metric {
    return this.metric('InitDurationMs', statistic);
  }

  private metric(metricName: string, statistic: string): Metric {
    return new Metric({
      namespace: FERRY_NAMESPACE,
      metricName,
      statistic,
      period: Duration.minutes(5),
    });
  }
}

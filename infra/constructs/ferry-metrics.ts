/**
 * Ferry's custom metrics as the stack reads them. The workers write them as CloudWatch EMF log
 * lines (services/core/metrics.ts names them, Powertools Metrics writes them), so CloudWatch
 * extracts them from the workers' own log groups: no metric filters, and no IAM beyond writing
 * logs. Namespace, names and dimensions come from the same constants the code emits with.
 */
import { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { TerminalStatus } from '../../services/core/deployment.ts';
import {
  METRICS_NAMESPACE,
  type MetricDimensions,
  type MetricName,
  SERVICE_DIMENSION,
  WORKER_SERVICE,
} from '../../services/core/metrics.ts';

/** Ferry's metrics, with the dimensions the workers emit them with. */
export class FerryMetrics {
  /** Finalized deployments with the given status (one per deployment). */
  deployments(status: TerminalStatus): Metric {
    return this.metric('Deployments', 'Sum', { Status: status }).with({ label: status });
  }

  /** Deployments that ended ROLLBACK_FAILED: the function may be half-restored. */
  rollbackFailed(): Metric {
    return this.metric('RollbackFailed', 'Sum', {});
  }

  /** Compressed size of scanned images. */
  imageCompressedBytes(statistic = 'Average'): Metric {
    return this.metric('ImageCompressedBytes', statistic, {});
  }

  /** Init Duration of new versions' first (cold) invoke. */
  initDurationMs(statistic = 'Average'): Metric {
    return this.metric('InitDurationMs', statistic, {});
  }

  private metric<N extends MetricName>(
    metricName: N,
    statistic: string,
    dimensions: MetricDimensions<N>,
  ): Metric {
    return new Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      // EMF metrics are identified by every dimension they carry: Powertools adds `service`.
      dimensionsMap: { [SERVICE_DIMENSION]: WORKER_SERVICE, ...dimensions },
      statistic,
      period: Duration.minutes(5),
    });
  }
}

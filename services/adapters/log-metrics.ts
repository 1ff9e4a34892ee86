import type { Logger } from '../core/logger.ts';
import {
  FERRY_METRICS,
  type MetricDimensions,
  type MetricName,
  type Metrics,
} from '../core/metrics.ts';

/** Metrics as debug log lines, where no CloudWatch reads EMF (local mode). */
export class LogMetrics implements Metrics {
  constructor(private readonly logger: Logger) {}

  add<N extends MetricName>(name: N, value: number, dimensions: MetricDimensions<N>): void {
    this.logger.debug('metric', {
      metric: name,
      value,
      unit: FERRY_METRICS[name].unit,
      ...dimensions,
    });
  }
}

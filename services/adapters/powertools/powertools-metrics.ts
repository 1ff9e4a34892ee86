/** The Metrics port on Powertools Metrics: samples become CloudWatch EMF lines on stdout. */
import type { Metrics as PowertoolsMetricsWriter } from '@aws-lambda-powertools/metrics';
import {
  FERRY_METRICS,
  type MetricDimensions,
  type MetricName,
  type Metrics,
} from '../../core/metrics.ts';

/** A Powertools Metrics as the port, flushed once per invocation. */
export class PowertoolsMetrics implements Metrics {
  constructor(readonly powertools: PowertoolsMetricsWriter) {}

  /** Stores a sample (flushed by {@link flush}); one with its own dimensions is written at once. */
  add<N extends MetricName>(name: N, value: number, dimensions: MetricDimensions<N>): void {
    const { unit } = FERRY_METRICS[name];
    const own = Object.entries(dimensions as Readonly<Record<string, string>>);
    if (own.length === 0) {
      this.powertools.addMetric(name, unit, value);
      return;
    }
    // Dimensions belong to a whole EMF line, not to one metric in it: a metric with its own goes
    // out alone, as Powertools' single metric (it keeps the `service` default dimension).
    const single = this.powertools.singleMetric();
    for (const [key, dimension] of own) single.addDimension(key, dimension);
    single.addMetric(name, unit, value);
  }

  /** Writes the stored samples as one EMF line; nothing (and no warning) when there are none. */
  flush(): void {
    if (this.powertools.hasStoredMetrics()) this.powertools.publishStoredMetrics();
  }
}

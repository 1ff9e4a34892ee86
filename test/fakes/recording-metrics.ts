import type { MetricDimensions, MetricName, Metrics } from '../../services/core/metrics.ts';

/** One sample a core emitted. */
export interface RecordedSample {
  readonly name: MetricName;
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** Metrics port that records every sample. */
export class RecordingMetrics implements Metrics {
  readonly samples: RecordedSample[] = [];
  add<N extends MetricName>(name: N, value: number, dimensions: MetricDimensions<N>): void {
    this.samples.push({ name, value, dimensions: { ...dimensions } });
  }
}

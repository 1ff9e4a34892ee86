/**
 * What Ferry measures, defined once: the metrics port cores emit through, and the names, units
 * and dimensions that both the runtime adapter (CloudWatch EMF) and the stack's alarms use.
 */
import type { TerminalStatus } from './deployment.ts';

/** CloudWatch namespace of Ferry's metrics. */
export const METRICS_NAMESPACE = 'Ferry';

/**
 * The workers' service name: on every worker log line, and the `service` dimension the EMF
 * writer adds to every metric (so alarms name it too).
 */
export const WORKER_SERVICE = 'ferry-worker';

/** The dimension every metric carries besides its own: the emitting service. */
export const SERVICE_DIMENSION = 'service';

/** Each metric's unit and its own dimensions (beside {@link SERVICE_DIMENSION}). */
export const FERRY_METRICS = {
  /** Deployments that reached a final status, counted once per deployment. */
  Deployments: { unit: 'Count', dimensions: ['Status'] },
  /** Deployments that ended ROLLBACK_FAILED: the function may be half-restored. */
  RollbackFailed: { unit: 'Count', dimensions: [] },
  /** Compressed size of each scanned image. */
  ImageCompressedBytes: { unit: 'Bytes', dimensions: [] },
  /** The median Init Duration of a new version's cold starts, once per measured smoke. */
  InitDurationMs: { unit: 'Milliseconds', dimensions: [] },
} as const;

/** A Ferry metric's name. */
export type MetricName = keyof typeof FERRY_METRICS;

/** The dimension values a sample of metric `N` needs. */
export type MetricDimensions<N extends MetricName> = {
  readonly [D in (typeof FERRY_METRICS)[N]['dimensions'][number]]: string;
};

/** Metrics port: one sample of a Ferry metric; the runtime's adapter writes and flushes it. */
export interface Metrics {
  add<N extends MetricName>(name: N, value: number, dimensions: MetricDimensions<N>): void;
}

/** A metrics port that drops every sample. */
export const noMetrics: Metrics = { add() {} };

/** Counts a deployment's final status (call once per deployment, when the status is written). */
export function countDeploymentEnded(metrics: Metrics, status: TerminalStatus): void {
  metrics.add('Deployments', 1, { Status: status });
  if (status === 'ROLLBACK_FAILED') metrics.add('RollbackFailed', 1, {});
}

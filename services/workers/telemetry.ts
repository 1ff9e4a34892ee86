/**
 * The workers' Powertools Logger and Metrics, one of each per Lambda process (module scope), as
 * Powertools intends: cold-start tracking and per-invocation keys live on these instances.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { LambdaTelemetry } from '../adapters/powertools/invocation.ts';
import { PowertoolsLogging } from '../adapters/powertools/powertools-logging.ts';
import { PowertoolsMetrics } from '../adapters/powertools/powertools-metrics.ts';
import { METRICS_NAMESPACE, WORKER_SERVICE } from '../core/metrics.ts';

/** The workers' telemetry: JSON log lines and EMF metrics on stdout. */
export const workerTelemetry = {
  logging: new PowertoolsLogging(new Logger({ serviceName: WORKER_SERVICE })),
  metrics: new PowertoolsMetrics(
    new Metrics({ namespace: METRICS_NAMESPACE, serviceName: WORKER_SERVICE }),
  ),
} satisfies LambdaTelemetry;

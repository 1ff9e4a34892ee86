/** One Lambda invocation's telemetry lifecycle, shared by every Ferry handler. */
import type { InvocationScope, LambdaContext, PowertoolsLogging } from './powertools-logging.ts';
import type { PowertoolsMetrics } from './powertools-metrics.ts';

/** The telemetry a handler's invocations share (module scope: built once per cold start). */
export interface LambdaTelemetry {
  readonly logging: PowertoolsLogging;
  /** Absent where nothing emits metrics (the API, the trigger). */
  readonly metrics?: PowertoolsMetrics;
}

/**
 * Runs `body` as one invocation: its lines carry the Lambda context and `scope`'s keys; when it
 * ends, returning or throwing, its metrics are flushed and its keys reset.
 */
export async function withInvocation<T>(
  telemetry: LambdaTelemetry,
  context: LambdaContext,
  scope: InvocationScope,
  body: () => Promise<T>,
): Promise<T> {
  telemetry.logging.begin(context, scope);
  try {
    return await body();
  } finally {
    try {
      telemetry.metrics?.flush();
    } finally {
      telemetry.logging.end();
    }
  }
}

/**
 * The metrics the workers' code really emits, as CloudWatch identifies them (namespace, name,
 * dimensions with values), read from the EMF lines the workers' own telemetry writes — so the
 * stack's alarms and charts are compared with the code's output, not with a second copy of it.
 */
import type { LambdaTelemetry } from '../../../services/adapters/powertools/invocation.ts';
import { withInvocation } from '../../../services/adapters/powertools/invocation.ts';
import type { Metrics } from '../../../services/core/metrics.ts';
import { captureOutput } from '../../support/capture-output.ts';
import { lambdaContext } from '../../support/lambda-context.ts';

/** One metric as CloudWatch names it. */
export interface EmittedMetric {
  readonly Namespace: string;
  readonly MetricName: string;
  readonly Dimensions: ReadonlyArray<{ Name: string; Value: string }>;
}

interface EmfDirective {
  Namespace: string;
  Dimensions: string[][];
  Metrics: { Name: string }[];
}

/** Runs `emit` in one invocation of `telemetry` and returns every metric its EMF lines define. */
export async function emittedMetrics(
  telemetry: LambdaTelemetry & { metrics: Metrics },
  emit: (metrics: Metrics) => void,
): Promise<EmittedMetric[]> {
  const output = captureOutput();
  try {
    await withInvocation(telemetry, lambdaContext(), { keys: { deploymentId: 'd-1' } }, async () =>
      emit(telemetry.metrics),
    );
  } finally {
    output.restore();
  }
  return output.records().flatMap((line) => {
    const aws = line._aws as { CloudWatchMetrics: EmfDirective[] } | undefined;
    return (aws?.CloudWatchMetrics ?? []).flatMap((directive) =>
      directive.Dimensions.flatMap((set) =>
        directive.Metrics.map((metric) => ({
          Namespace: directive.Namespace,
          MetricName: metric.Name,
          Dimensions: set.map((name) => ({ Name: name, Value: String(line[name]) })),
        })),
      ),
    );
  });
}

import { withInvocation } from '../adapters/powertools/invocation.ts';
import type { LambdaContext } from '../adapters/powertools/powertools-logging.ts';
import { awsWorkerDeps } from './aws-deps.ts';
import { deploymentIdOf } from './deployment-id.ts';
import type { WorkerDeps } from './deps.ts';
import { workerTelemetry } from './telemetry.ts';

// Built on the first invocation, once per cold start, after its event parsed (see workerHandler).
let deps: WorkerDeps | undefined;

/**
 * A worker's Lambda entry: each invocation parses its event (before any AWS client is built),
 * then runs the step's core with the AWS deps. Its log lines carry the deployment id and Lambda's
 * request id; its metrics are flushed when it ends.
 */
export function workerHandler<I, T>(
  parse: (event: unknown) => I,
  run: (input: I, deps: WorkerDeps) => Promise<T>,
) {
  return (event: unknown, context: LambdaContext): Promise<T> =>
    withInvocation(
      workerTelemetry,
      context,
      { keys: { deploymentId: deploymentIdOf(event) } },
      () => {
        const input = parse(event);
        deps ??= awsWorkerDeps();
        return run(input, deps);
      },
    );
}

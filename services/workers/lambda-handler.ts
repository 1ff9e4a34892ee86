import { withInvocation } from '../adapters/powertools/invocation.ts';
import type { LambdaContext } from '../adapters/powertools/powertools-logging.ts';
import { awsRuntime } from '../compose/aws-runtime.ts';
import { WORKER_LAMBDA } from '../core/config.ts';
import { buildParts, type WorkerParts } from './aws-parts.ts';
import { deploymentIdOf } from './deployment-id.ts';
import type { WorkerDeps } from './deps.ts';
import { workerTelemetry } from './telemetry.ts';

/**
 * A worker's Lambda entry: each invocation parses its event (before any AWS client is built),
 * then runs the step's core with the AWS deps `parts` build — exactly the ports the core's
 * `Pick<WorkerDeps, …>` names, so the bundle holds no other adapter. They are built on the first
 * invocation, once per cold start. Its log lines carry the deployment id and Lambda's request
 * id; its metrics are flushed when it ends.
 */
export function workerHandler<I, T, K extends keyof WorkerDeps>(
  parse: (event: unknown) => I,
  run: (input: I, deps: Pick<WorkerDeps, K>) => Promise<T>,
  parts: NoInfer<WorkerParts<K>>,
) {
  let deps: Pick<WorkerDeps, K> | undefined;
  return (event: unknown, context: LambdaContext): Promise<T> =>
    withInvocation(
      workerTelemetry,
      context,
      { keys: { deploymentId: deploymentIdOf(event) } },
      () => {
        const input = parse(event);
        deps ??= buildParts(awsRuntime(WORKER_LAMBDA, process.env), parts);
        return run(input, deps);
      },
    );
}

/**
 * Every worker port on AWS at once, for tests and tools that need the whole bag. A Lambda never
 * imports this: its handler names only its core's parts (see aws-parts.ts and lambda-handler.ts).
 */
import { type AwsRuntime, awsRuntime } from '../compose/aws-runtime.ts';
import { WORKER_LAMBDA, type WorkerConfig } from '../core/config.ts';
import * as parts from './aws-parts.ts';
import type { WorkerDeps } from './deps.ts';

export { CLOUDWATCH_SETTLE_SECONDS } from './aws-parts.ts';

/** Every port's builder. */
export const ALL_PARTS: parts.WorkerParts<keyof WorkerDeps> = {
  store: parts.store,
  registry: parts.registry,
  functions: parts.functions,
  notifier: parts.notifier,
  claims: parts.claims,
  clock: parts.clock,
  logger: parts.logger,
  metrics: parts.metrics,
  versionHealth: parts.versionHealth,
  alarms: parts.alarms,
  callbacks: parts.callbacks,
  buildLogs: parts.buildLogs,
  options: parts.options,
};

/** The workers' deps from a runtime: its store and claims, ECR, Lambda and the notifiers. */
export function workerDepsFrom(runtime: AwsRuntime<WorkerConfig>): WorkerDeps {
  return parts.buildParts(runtime, ALL_PARTS);
}

/** Builds the workers' deps from the environment the stack sets. */
export function awsWorkerDeps(env: Record<string, string | undefined> = process.env): WorkerDeps {
  return workerDepsFrom(awsRuntime(WORKER_LAMBDA, env));
}

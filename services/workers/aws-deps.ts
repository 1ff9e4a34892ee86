/**
 * The workers' deps on AWS, taken from the AWS runtime's composition root. Only the handlers'
 * binding (lambda-handler.ts) imports this file, and builds them once per cold start; cores never do.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECRClient } from '@aws-sdk/client-ecr';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import { CloudWatchAlarms } from '../adapters/aws/cloudwatch-alarms.ts';
import { CloudWatchVersionHealth } from '../adapters/aws/cloudwatch-version-health.ts';
import { EcrRegistry } from '../adapters/aws/ecr-registry.ts';
import { LambdaFunctions } from '../adapters/aws/lambda-functions.ts';
import { SfnWorkflowCallbacks } from '../adapters/aws/sfn-callbacks.ts';
import { awsNotifier } from '../compose/aws-notifier.ts';
import { type AwsRuntime, awsRuntime } from '../compose/aws-runtime.ts';
import { WORKER_LAMBDA, type WorkerConfig } from '../core/config.ts';
import type { WorkerDeps } from './deps.ts';
import { workerTelemetry } from './telemetry.ts';

/** How long after a window Lambda's CloudWatch metrics for it are complete. */
export const CLOUDWATCH_SETTLE_SECONDS = 120;

/** The workers' deps from a runtime: its store and claims, ECR, Lambda and the notifiers. */
export function workerDepsFrom(runtime: AwsRuntime<WorkerConfig>): WorkerDeps {
  const { config } = runtime;
  const logger = workerTelemetry.logging.logger;
  const cloudWatch = new CloudWatchClient({});
  return {
    store: runtime.store,
    registry: new EcrRegistry(new ECRClient({}), { registryId: config.FERRY_ECR_REGISTRY_ID }),
    functions: new LambdaFunctions(new LambdaClient({})),
    notifier: awsNotifier(runtime, logger),
    claims: runtime.claims,
    clock: runtime.clock,
    logger,
    metrics: workerTelemetry.metrics,
    versionHealth: new CloudWatchVersionHealth(cloudWatch),
    alarms: new CloudWatchAlarms(cloudWatch),
    callbacks: new SfnWorkflowCallbacks(new SFNClient({})),
    options: {
      lockTtlSeconds: config.FERRY_LOCK_TTL_SECONDS,
      updateMaxWaitSeconds: config.FERRY_UPDATE_MAX_WAIT_SECONDS,
      buildRepositoryUri: config.FERRY_BUILD_REPOSITORY_URI,
      // Lambda's metrics reach CloudWatch a minute or two after the calls.
      metricsSettleSeconds: CLOUDWATCH_SETTLE_SECONDS,
      provisioningPollSeconds: 15,
    },
  };
}

/** Builds the workers' deps from the environment the stack sets. */
export function awsWorkerDeps(env: Record<string, string | undefined> = process.env): WorkerDeps {
  return workerDepsFrom(awsRuntime(WORKER_LAMBDA, env));
}

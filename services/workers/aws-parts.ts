/**
 * The workers' ports on AWS, one builder each. A handler names the builders of the ports its
 * core uses (workerHandler's `parts`), so its bundle holds only the adapters, and the SDK
 * commands, that step can send: one bag for every worker would put every client in every bundle.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { ECRClient } from '@aws-sdk/client-ecr';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import { CloudWatchAlarms } from '../adapters/aws/cloudwatch-alarms.ts';
import { CloudWatchVersionHealth } from '../adapters/aws/cloudwatch-version-health.ts';
import { CodeBuildBuildLogs } from '../adapters/aws/codebuild-build-logs.ts';
import { EcrRegistry } from '../adapters/aws/ecr-registry.ts';
import { LambdaFunctions } from '../adapters/aws/lambda-functions.ts';
import { SfnWorkflowCallbacks } from '../adapters/aws/sfn-callbacks.ts';
import { awsNotifier } from '../compose/aws-notifier.ts';
import type { AwsRuntime } from '../compose/aws-runtime.ts';
import type { WorkerConfig } from '../core/config.ts';
import type { WorkerDeps } from './deps.ts';
import { workerTelemetry } from './telemetry.ts';

/** How long after a window Lambda's CloudWatch metrics for it are complete. */
export const CLOUDWATCH_SETTLE_SECONDS = 120;

/** Builds one port of the workers' deps from the runtime (once per cold start). */
export type WorkerPart<K extends keyof WorkerDeps> = (
  runtime: AwsRuntime<WorkerConfig>,
) => WorkerDeps[K];

/** A builder for each port in `K`: what a handler passes for its core's `Pick<WorkerDeps, K>`. */
export type WorkerParts<K extends keyof WorkerDeps> = { readonly [P in K]: WorkerPart<P> };

/** The ports `parts` build from `runtime`. */
export function buildParts<K extends keyof WorkerDeps>(
  runtime: AwsRuntime<WorkerConfig>,
  parts: WorkerParts<K>,
): Pick<WorkerDeps, K> {
  const deps = {} as Record<K, unknown>;
  for (const key of Object.keys(parts) as K[]) deps[key] = parts[key](runtime);
  return deps as Pick<WorkerDeps, K>;
}

// One CloudWatch client for the steps that read both metrics and alarms.
const cloudWatchClient = () => new CloudWatchClient({});

/** The deployment store (the runtime's table). */
export const store: WorkerPart<'store'> = (runtime) => runtime.store;
/** Once-only message claims, in the same table. */
export const claims: WorkerPart<'claims'> = (runtime) => runtime.claims;
/** The system clock. */
export const clock: WorkerPart<'clock'> = (runtime) => runtime.clock;
/** The workers' one logger. */
export const logger: WorkerPart<'logger'> = () => workerTelemetry.logging.logger;
/** The workers' metrics (EMF lines). */
export const metrics: WorkerPart<'metrics'> = () => workerTelemetry.metrics;
/** ECR, in the stack's account. */
export const registry: WorkerPart<'registry'> = ({ config }) =>
  new EcrRegistry(new ECRClient({}), { registryId: config.FERRY_ECR_REGISTRY_ID });
/** The target functions, through Lambda. */
export const functions: WorkerPart<'functions'> = () => new LambdaFunctions(new LambdaClient({}));
/** Slack and EventBridge notifications, as the environment configures them. */
export const notifier: WorkerPart<'notifier'> = (runtime) =>
  awsNotifier(runtime, workerTelemetry.logging.logger);
/** Per-version health from Lambda's CloudWatch metrics. */
export const versionHealth: WorkerPart<'versionHealth'> = (runtime) =>
  new CloudWatchVersionHealth(runtime.part(cloudWatchClient));
/** The CloudWatch alarms settings name. */
export const alarms: WorkerPart<'alarms'> = (runtime) =>
  new CloudWatchAlarms(runtime.part(cloudWatchClient));
/** Step Functions task-token callbacks. */
export const callbacks: WorkerPart<'callbacks'> = () => new SfnWorkflowCallbacks(new SFNClient({}));
/** A source build's log: CodeBuild names its CloudWatch Logs stream. */
export const buildLogs: WorkerPart<'buildLogs'> = () =>
  new CodeBuildBuildLogs(new CodeBuildClient({}), new CloudWatchLogsClient({}));
/** The settings the stack sets in the environment. */
export const options: WorkerPart<'options'> = ({ config }) => ({
  lockTtlSeconds: config.FERRY_LOCK_TTL_SECONDS,
  updateMaxWaitSeconds: config.FERRY_UPDATE_MAX_WAIT_SECONDS,
  buildRepositoryUri: config.FERRY_BUILD_REPOSITORY_URI,
  // Lambda's metrics reach CloudWatch a minute or two after the calls.
  metricsSettleSeconds: CLOUDWATCH_SETTLE_SECONDS,
  provisioningPollSeconds: 15,
});

/** The parts every worker's core uses: its record, the time, its log lines. */
export const BASE_PARTS = { store, clock, logger } as const;

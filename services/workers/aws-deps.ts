/**
 * The workers' deps on AWS: real clients built once per cold start (module scope), shared by
 * every invocation of the Lambda. Only handlers import this file; cores never do.
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { DynamoDeploymentStore } from '../adapters/aws/dynamo-store.ts';
import { EcrRegistry } from '../adapters/aws/ecr-registry.ts';
import { LambdaFunctions } from '../adapters/aws/lambda-functions.ts';
import { LogNotifier } from '../adapters/log-notifier.ts';
import { systemClock } from '../core/clock.ts';
import { loadWorkerConfig } from '../core/config.ts';
import { jsonLogger } from '../core/logger.ts';
import type { WorkerDeps } from './deps.ts';

let deps: WorkerDeps | undefined;

/** The workers' deps, built on first use from the environment the stack sets. */
export function awsWorkerDeps(env: Record<string, string | undefined> = process.env): WorkerDeps {
  if (deps) return deps;
  const config = loadWorkerConfig(env);
  const logger = jsonLogger({ service: 'ferry-worker', function: env.AWS_LAMBDA_FUNCTION_NAME });
  deps = {
    store: new DynamoDeploymentStore(new DynamoDBClient({}), {
      tableName: config.FERRY_TABLE_NAME,
      // Workers read only first pages; their cursors never leave the process, so a per-process key will do.
      cursorSecret: randomBytes(32).toString('hex'),
    }),
    registry: new EcrRegistry(new ECRClient({}), { registryId: config.FERRY_ECR_REGISTRY_ID }),
    functions: new LambdaFunctions(new LambdaClient({})),
    notifier: new LogNotifier(logger),
    clock: systemClock,
    logger,
    options: {
      lockTtlSeconds: config.FERRY_LOCK_TTL_SECONDS,
      updateMaxWaitSeconds: config.FERRY_UPDATE_MAX_WAIT_SECONDS,
      buildRepositoryUri: config.FERRY_BUILD_REPOSITORY_URI,
    },
  };
  return deps;
}

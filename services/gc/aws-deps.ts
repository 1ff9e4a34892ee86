/** The scheduled gc's deps on AWS: the shared runtime, ECR and Lambda inventories. */
import { ECRClient } from '@aws-sdk/client-ecr';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { EcrImageInventory } from '../adapters/aws/ecr-image-inventory.ts';
import { LambdaFunctionInventory } from '../adapters/aws/lambda-function-inventory.ts';
import type { GcDeps } from '../app/collect-garbage.ts';
import { type AwsRuntime, awsRuntime } from '../compose/aws-runtime.ts';
import { GC_LAMBDA, type GcConfig } from './config.ts';
import { gcTelemetry } from './telemetry.ts';

/** gc's deps from a runtime. ECR frees storage itself: there is nothing to reclaim. */
export function gcDepsFrom(runtime: AwsRuntime<GcConfig>): GcDeps {
  const { config } = runtime;
  return {
    store: runtime.store,
    images: new EcrImageInventory(new ECRClient({}), {
      ...(config.FERRY_ECR_REGISTRY_ID ? { registryId: config.FERRY_ECR_REGISTRY_ID } : {}),
    }),
    functions: new LambdaFunctionInventory(new LambdaClient({})),
    clock: runtime.clock,
    logger: gcTelemetry.logging.logger,
    newId: runtime.newId,
    lockTtlSeconds: config.FERRY_LOCK_TTL_SECONDS,
    policy: {
      ...(config.FERRY_GC_ROLLBACK_DEPTH ? { rollbackDepth: config.FERRY_GC_ROLLBACK_DEPTH } : {}),
      ...(config.FERRY_GC_MIN_AGE_SECONDS
        ? { minimumAgeSeconds: config.FERRY_GC_MIN_AGE_SECONDS }
        : {}),
      ...(config.FERRY_GC_IMAGE_REMOVAL ? { imageRemoval: config.FERRY_GC_IMAGE_REMOVAL } : {}),
    },
  };
}

/** Builds gc's deps from the environment the stack sets. */
export function awsGcDeps(env: Record<string, string | undefined> = process.env): GcDeps {
  return gcDepsFrom(awsRuntime(GC_LAMBDA, env));
}

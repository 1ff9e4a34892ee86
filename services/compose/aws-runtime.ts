/**
 * The AWS runtime's composition root. Every Ferry Lambda — the API, the ECR trigger, the nine
 * workers — starts from `awsRuntime`: its configuration parsed once at cold start (a bad key
 * fails the cold start, naming the key) and the parts they all share, built once per process.
 * Parts only some Lambdas use (the workflow, the notifiers, the Slack secret, ECR, Lambda) are
 * built through `part` by the modules that use them, so each bundle carries only the SDK clients
 * its Lambda calls: an all-in-one root would put every client into every bundle.
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { z } from 'zod';
import { DynamoMessageClaims } from '../adapters/aws/dynamo-message-claims.ts';
import { DynamoRuleStore } from '../adapters/aws/dynamo-rule-store.ts';
import { DynamoDeploymentStore } from '../adapters/aws/dynamo-store.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { newDeploymentId } from '../core/ids.ts';
import type { DeploymentStore, MessageClaims, RuleStore } from '../core/ports.ts';
import { parseStackConfig, type StackLambda } from '../core/stack-config.ts';

/** The keys the shared parts read: every Ferry Lambda's configuration has the first two. */
export interface AwsRuntimeConfig {
  readonly FERRY_TABLE_NAME: string;
  readonly FERRY_LOCK_TTL_SECONDS: number;
}

/** What a Lambda adds to the shared parts. */
export interface AwsRuntimeOptions {
  /**
   * How the store reads the key that signs history cursors (the API's, from its secret).
   * @default - a per-process key (those cursors never leave the process)
   */
  readonly cursorKey?: (config: AwsRuntimeConfig) => () => Promise<string>;
}

/** One Lambda's configuration and the parts built from it, once per cold start. */
export interface AwsRuntime<C extends AwsRuntimeConfig = AwsRuntimeConfig> {
  readonly config: C;
  readonly dynamo: DynamoDBClient;
  /** Deployments, settings and locks, in the stack's table. */
  readonly store: DeploymentStore;
  /** Once-only message claims, in the same table (their own key space). */
  readonly claims: MessageClaims;
  /** Auto-rollout rules, in the same table. */
  readonly rules: RuleStore;
  readonly clock: Clock;
  readonly newId: () => string;
  /** The part `build` makes from this runtime: built on the first call, the same one after. */
  part<T>(build: (runtime: AwsRuntime<C>) => T): T;
}

/** Parses `lambda`'s configuration from `env` once and builds the parts every Lambda shares. */
export function awsRuntime<C extends AwsRuntimeConfig>(
  lambda: StackLambda<z.ZodObject & z.ZodType<C>>,
  env: Readonly<Record<string, string | undefined>>,
  options: AwsRuntimeOptions = {},
): AwsRuntime<C> {
  const config = parseStackConfig(lambda, env) as C;
  const tableName = config.FERRY_TABLE_NAME;
  const dynamo = new DynamoDBClient({});
  const built = new Map<unknown, unknown>();
  const runtime: AwsRuntime<C> = {
    config,
    dynamo,
    store: new DynamoDeploymentStore(dynamo, {
      tableName,
      cursorSecret: options.cursorKey?.(config) ?? randomBytes(32).toString('hex'),
    }),
    claims: new DynamoMessageClaims(dynamo, { tableName }),
    rules: new DynamoRuleStore(dynamo, tableName),
    clock: systemClock,
    newId: () => newDeploymentId(),
    part(build) {
      if (!built.has(build)) built.set(build, build(runtime));
      return built.get(build) as ReturnType<typeof build>;
    },
  };
  return runtime;
}

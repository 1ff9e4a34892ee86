/**
 * The AWS composition root from the environment alone: the API's, the ECR trigger's and the
 * workers' deps stand on one store, one set of claims and one rule store in the stack's table,
 * each client is built once, and a missing or invalid key fails the cold start naming the key and
 * the fix. DynamoDB is dynalite (the SDK pointed at it by its service endpoint variable).
 */

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { aDeployment } from '../../test/fakes/deployments.ts';
import {
  createStoreTable,
  type RunningDynalite,
  startDynalite,
} from '../../test/support/dynalite.ts';
import { stubSdkEnv } from '../../test/support/sdk-env.ts';
import { apiDepsFrom, awsApiDeps } from '../api/aws-deps.ts';
import { API_LAMBDA } from '../api/config.ts';
import { WORKER_LAMBDA } from '../core/config.ts';
import { stackLambda } from '../core/stack-config.ts';
import { awsTriggerDeps, triggerDepsFrom } from '../triggers/aws-deps.ts';
import { TRIGGER_LAMBDA } from '../triggers/config.ts';
import { awsWorkerDeps, workerDepsFrom } from '../workers/aws-deps.ts';
import { awsRuntime } from './aws-runtime.ts';
import { awsSlackSecret } from './aws-slack-secret.ts';

const TABLE = 'ferry-aws-runtime';

/** What the stack sets on the API, the trigger and the workers, as one process's environment. */
const ENV = {
  FERRY_TABLE_NAME: TABLE,
  FERRY_LOCK_TTL_SECONDS: '4200',
  FERRY_ADMIN_TEAM: 'platform',
  FERRY_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:ferry',
  FERRY_CURSOR_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ferry-cursor',
  FERRY_PRINCIPAL_TEAMS: JSON.stringify({ 'arn:aws:iam::123456789012:user/*': 'platform' }),
  FERRY_PUBLIC_BASE_URL: 'https://ferry.example.com',
  FERRY_SLACK_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ferry-slack',
  FERRY_BUILD_REPOSITORY_URI: '123456789012.dkr.ecr.us-east-1.amazonaws.com/ferry-builds',
  FERRY_ECR_REGISTRY_ID: '123456789012',
  FERRY_EVENT_BUS_NAME: 'default',
  FERRY_WATCHED_REPOSITORIES: JSON.stringify(['team/api']),
};

/** Every Lambda's keys at once: one runtime the three kinds of deps can all be taken from. */
const EVERY_LAMBDA = stackLambda(
  'every',
  z.object({
    ...API_LAMBDA.schema.shape,
    ...TRIGGER_LAMBDA.schema.shape,
    ...WORKER_LAMBDA.schema.shape,
  }),
);

let dynalite: RunningDynalite;
beforeAll(async () => {
  dynalite = await startDynalite();
  await createStoreTable(dynalite.client, TABLE);
  stubSdkEnv(dynalite.endpoint);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await dynalite.close();
});

describe('awsRuntime: one set of parts', () => {
  it('gives the API, the trigger and the workers one store, one set of claims and one lock lifetime', () => {
    const runtime = awsRuntime(EVERY_LAMBDA, ENV);
    const api = apiDepsFrom(runtime);
    const trigger = triggerDepsFrom(runtime);
    const workers = workerDepsFrom(runtime);

    for (const store of [api.store, trigger.store, workers.store])
      expect(store).toBe(runtime.store);
    expect(workers.claims).toBe(runtime.claims);
    expect(api.rules).toBe(runtime.rules);
    expect(trigger.rules).toBe(runtime.rules);
    // One Step Functions client and workflow, one Slack secret reader (and its cache).
    expect(trigger.workflow).toBe(api.workflow);
    expect(awsSlackSecret(runtime)).toBe(awsSlackSecret(runtime));
    // The lock lifetime and the admin team are read once, from the stack's keys.
    expect(api.config.lockTtlSeconds).toBe(4200);
    expect(trigger.config.lockTtlSeconds).toBe(4200);
    expect(workers.options.lockTtlSeconds).toBe(4200);
    expect([api.config.adminTeam, trigger.config.adminTeam]).toEqual(['platform', 'platform']);
    expect(api.config.publicBaseUrl).toBe('https://ferry.example.com');
    expect(api.config.watchedRepositories).toEqual(['team/api']);
    // Callers are IAM principals on AWS: no bearer tokens, so /v1/tokens answers 404.
    expect(api.tokens).toBeUndefined();
  });

  it('builds a part once, however many deps take it', () => {
    const runtime = awsRuntime(WORKER_LAMBDA, ENV);
    const build = vi.fn(() => ({ client: 'one' }));
    expect(runtime.part(build)).toBe(runtime.part(build));
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('points three Lambdas built from the same environment at the same table', async () => {
    const api = awsApiDeps(ENV);
    const trigger = awsTriggerDeps(ENV);
    const workers = awsWorkerDeps(ENV);
    const deployment = aDeployment({ id: 'd-01JDQ4Z9X8M2N3P4Q5R6S7T8W0' });

    await api.store.create(deployment);
    expect((await workers.store.get(deployment.id))?.functionName).toBe('orders');
    expect((await trigger.store.get(deployment.id))?.id).toBe(deployment.id);
    await api.rules?.putRule({
      repository: 'team/orders',
      tagPattern: 'release-*',
      functions: ['orders'],
      enabled: true,
    });
    expect((await trigger.rules?.getRule('team/orders'))?.functions).toEqual(['orders']);
    // A claim the workers take is taken for every Lambda on the table.
    const claim = { channel: 'log', deploymentId: deployment.id, status: 'SUCCEEDED' } as const;
    expect(await workers.claims.claim(claim)).toBe(true);
    expect(await awsRuntime(TRIGGER_LAMBDA, ENV).claims.claim(claim)).toBe(false);
  });
});

describe('awsRuntime: configuration', () => {
  type FromEnv = (env: Record<string, string>) => unknown;
  it.each<[string, FromEnv, FromEnv]>([
    ['API', (env) => awsRuntime(API_LAMBDA, env), awsApiDeps],
    ['ECR trigger', (env) => awsRuntime(TRIGGER_LAMBDA, env), awsTriggerDeps],
    ['worker', (env) => awsRuntime(WORKER_LAMBDA, env), awsWorkerDeps],
  ])('fails the %s cold start naming each bad key and how to fix it', (name, runtime, deps) => {
    const { FERRY_TABLE_NAME: _, ...env } = { ...ENV, FERRY_LOCK_TTL_SECONDS: 'an hour' };
    const message = new RegExp(
      `^invalid Ferry ${name} configuration: FERRY_TABLE_NAME \\(missing\\), ` +
        'FERRY_LOCK_TTL_SECONDS \\(.+\\); the CDK stack sets these: redeploy it',
    );
    expect(() => runtime(env)).toThrow(message);
    expect(() => deps(env)).toThrow(message);
  });

  it('names the keys only one Lambda reads', () => {
    const { FERRY_STATE_MACHINE_ARN: _, FERRY_CURSOR_SECRET_ARN: __, ...env } = ENV;
    expect(() => awsRuntime(API_LAMBDA, env)).toThrow(
      /FERRY_STATE_MACHINE_ARN \(missing\), FERRY_CURSOR_SECRET_ARN \(missing\)/,
    );
    expect(() => awsRuntime(TRIGGER_LAMBDA, env)).toThrow(/FERRY_STATE_MACHINE_ARN \(missing\)/);
    expect(() =>
      awsRuntime(WORKER_LAMBDA, { ...env, FERRY_ECR_REGISTRY_ID: 'not-an-account' }),
    ).toThrow(/FERRY_ECR_REGISTRY_ID \(Invalid string: must match pattern/);
    // The workers read neither: they start without them.
    expect(() => awsRuntime(WORKER_LAMBDA, env)).not.toThrow();
  });
});

/**
 * One Lambda per workflow step (entry `services/workers/<folder>/handler.ts`), each with a
 * timeout that fits its state's TimeoutSeconds (a callback task's only records its token) and
 * only the permissions in WORKER_ACCESS.
 */
import { fileURLToPath } from 'node:url';
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IRepository } from 'aws-cdk-lib/aws-ecr';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { WORKER_STEPS, type WorkerStep, workerFolder } from '../../services/core/steps.ts';
import { readDeployDefinitionText } from '../../statemachine/substitutions.ts';
import type { OptIn } from '../config.ts';
import { acknowledgeWildcardResources } from '../nag.ts';
import { FerryFunction } from './ferry-function.ts';
import { grantSecretValue } from './secrets.ts';
import {
  optedInFunctionArn,
  optedInFunctionsStatement,
  repositoryArns,
  WORKER_ACCESS,
} from './worker-access.ts';

/** Seconds a worker's Lambda timeout stays under its state's TimeoutSeconds, so the Lambda
 * fails (with its own error) before Step Functions gives up on the task. */
export const TIMEOUT_MARGIN_SECONDS = 10;
/** Bound on one wait for a code update; Rollback may wait twice within its timeout. */
export const UPDATE_MAX_WAIT_SECONDS = 420;

interface DefinitionTimeouts {
  readonly TimeoutSeconds: number;
  readonly States: Record<
    string,
    { readonly TimeoutSeconds?: number; readonly TimeoutSecondsPath?: string }
  >;
}

/** The Lambda timeout of a worker a callback task invokes (it records a token and returns). */
export const CALLBACK_WORKER_TIMEOUT_SECONDS = 30;

/** The deploy definition's timeouts: the whole execution's and each state's. */
export function definitionTimeouts(): DefinitionTimeouts {
  return JSON.parse(readDeployDefinitionText()) as DefinitionTimeouts;
}

/** The Lambda timeout of a worker: its state's TimeoutSeconds less the margin. */
export function workerTimeoutSeconds(step: WorkerStep, timeouts = definitionTimeouts()): number {
  // A callback task's timeout is its wait; the Lambda only records the token.
  if (timeouts.States[step]?.TimeoutSecondsPath) return CALLBACK_WORKER_TIMEOUT_SECONDS;
  const state = timeouts.States[step]?.TimeoutSeconds;
  if (!state) throw new Error(`state ${step} in deploy.asl.json has no TimeoutSeconds`);
  return Math.min(900, state - TIMEOUT_MARGIN_SECONDS);
}

/** Properties of the Workers. */
export interface WorkersProps {
  /** The deployment store table. */
  readonly table: ITable;
  /** Name of the table's history index. */
  readonly historyIndexName: string;
  /** The repository source builds push to. */
  readonly buildRepository: IRepository;
  /** Names of the other ECR repositories deployments may use (same account and region). */
  readonly repositoryNames: readonly string[];
  /** Which functions the workers may describe, update, invoke and re-alias. */
  readonly optIn: OptIn;
  /** The function lock's lifetime, the same for every Lambda that takes it (see lock-lifetime.ts). */
  readonly lockTtlSeconds: number;
  /** The Slack secret: the notifying steps read their channels' webhooks from it. @default - no Slack */
  readonly slackSecret?: ISecret;
}

/**
 * The steps that notify: Prepare announces the start, Finalize the outcome (Slack channel and
 * slash-command replies; Finalize also puts `Ferry Deployment Status Change` on the default bus).
 */
export const NOTIFYING_STEPS = ['Prepare', 'Finalize'] as const satisfies readonly WorkerStep[];

/** The event bus status events go to. */
export const STATUS_EVENT_BUS = 'default';

/** One worker Lambda per step. */
export class Workers extends Construct {
  /** Each step's function. */
  readonly functions: Readonly<Record<WorkerStep, FerryFunction>>;

  constructor(scope: Construct, id: string, props: WorkersProps) {
    super(scope, id);
    const timeouts = definitionTimeouts();
    const environment = {
      FERRY_TABLE_NAME: props.table.tableName,
      FERRY_BUILD_REPOSITORY_URI: props.buildRepository.repositoryUri,
      FERRY_LOCK_TTL_SECONDS: String(props.lockTtlSeconds),
      FERRY_UPDATE_MAX_WAIT_SECONDS: String(UPDATE_MAX_WAIT_SECONDS),
      FERRY_ECR_REGISTRY_ID: Stack.of(this).account,
      NODE_OPTIONS: '--enable-source-maps',
    };
    const functions = {} as Record<WorkerStep, FerryFunction>;
    for (const step of WORKER_STEPS) {
      const worker = new FerryFunction(this, step, {
        entry: fileURLToPath(
          new URL(`../../services/workers/${workerFolder(step)}/handler.ts`, import.meta.url),
        ),
        description: `Ferry ${step} step`,
        timeout: Duration.seconds(workerTimeoutSeconds(step, timeouts)),
        environment,
      });
      this.grant(worker, step, props);
      functions[step] = worker;
    }
    this.functions = functions;
    this.grantNotifications(props);
    acknowledgeWildcardResources(
      this,
      [optedInFunctionArn(this, props.optIn)],
      'Target functions are chosen by teams at run time, so they cannot be listed at synth: access is limited to opted-in functions by the configured name-prefix ARN pattern and/or the aws:ResourceTag/ferry:managed=true condition.',
    );
  }

  /** Each step's Lambda function (what the workflow invokes). */
  get lambdas(): Readonly<Record<WorkerStep, IFunction>> {
    const lambdas = {} as Record<WorkerStep, IFunction>;
    for (const step of WORKER_STEPS) lambdas[step] = this.functions[step].function;
    return lambdas;
  }

  /** Every worker function, in workflow order. */
  get all(): readonly FerryFunction[] {
    return WORKER_STEPS.map((step) => this.functions[step]);
  }

  /**
   * Lets the callback workers end their own wait (SendTaskSuccess) on the deploy state machine
   * only: IAM checks a task token's call against the state machine of the waiting execution. A
   * policy of its own, not the role's default one: each function depends on its default policy
   * and the state machine on the functions, so naming the state machine there would be a cycle.
   */
  allowCallbacks(stateMachine: IStateMachine): void {
    for (const step of WORKER_STEPS) {
      const actions = WORKER_ACCESS[step].callbacks;
      if (!actions || actions.length === 0) continue;
      new Policy(this, `${step}Callbacks`, {
        roles: [this.functions[step].role],
        statements: [
          new PolicyStatement({ actions: [...actions], resources: [stateMachine.stateMachineArn] }),
        ],
      });
    }
  }

  /** Points the notifying steps' links at the API's deployment pages. */
  notifying(apiUrl: string): void {
    for (const step of NOTIFYING_STEPS)
      this.functions[step].function.addEnvironment('FERRY_PUBLIC_BASE_URL', apiUrl);
  }

  private grantNotifications(props: WorkersProps): void {
    for (const step of NOTIFYING_STEPS) {
      const worker = this.functions[step];
      if (props.slackSecret) {
        worker.function.addEnvironment('FERRY_SLACK_SECRET_ARN', props.slackSecret.secretArn);
        grantSecretValue(props.slackSecret, worker.role);
      }
    }
    const finalize = this.functions.Finalize;
    finalize.function.addEnvironment('FERRY_EVENT_BUS_NAME', STATUS_EVENT_BUS);
    finalize.role.addToPolicy(
      new PolicyStatement({
        actions: ['events:PutEvents'],
        resources: [
          Stack.of(this).formatArn({
            service: 'events',
            resource: 'event-bus',
            resourceName: STATUS_EVENT_BUS,
          }),
        ],
      }),
    );
  }

  private grant(worker: FerryFunction, step: WorkerStep, props: WorkersProps): void {
    const access = WORKER_ACCESS[step];
    const allow = (actions: readonly string[] | undefined, resources: string[]) => {
      if (actions && actions.length > 0) {
        worker.role.addToPolicy(new PolicyStatement({ actions: [...actions], resources }));
      }
    };
    allow(access.table, [props.table.tableArn]);
    allow(access.historyIndex, [`${props.table.tableArn}/index/${props.historyIndexName}`]);
    allow(access.images, [
      props.buildRepository.repositoryArn,
      ...repositoryArns(this, props.repositoryNames),
    ]);
    allow(access.buildImages, [props.buildRepository.repositoryArn]);
    if (access.alarms) {
      const alarms = Stack.of(this).formatArn({
        service: 'cloudwatch',
        resource: 'alarm',
        resourceName: '*',
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
      allow(access.alarms, [alarms]);
      acknowledgeWildcardResources(
        worker.role,
        [alarms],
        "The function's settings name the alarms a release is judged by at run time, so they cannot be listed at synth: the pattern covers this account's alarms in this region, for reading their state only.",
      );
    }
    if (access.metrics) {
      allow(access.metrics, ['*']);
      acknowledgeWildcardResources(
        worker.role,
        ['*'],
        'cloudwatch:GetMetricData has no resource-level permissions (IAM accepts only "*" for it); it reads metrics and changes nothing.',
      );
    }
    if (access.targets && access.targets.length > 0) {
      worker.role.addToPolicy(optedInFunctionsStatement(this, access.targets, props.optIn));
    }
  }
}

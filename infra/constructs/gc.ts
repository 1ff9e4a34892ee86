/**
 * The scheduled `ferry gc`: a Lambda (services/gc/handler.ts) an EventBridge Scheduler schedule
 * invokes daily, with exactly the calls the collection makes: the store (settings, history,
 * function locks, marking collected releases), ECR's image listing and deletion on Ferry's
 * repositories, and Lambda's state reads and version deletion on opted-in functions.
 */
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IRepository } from 'aws-cdk-lib/aws-ecr';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { OptIn } from '../config.ts';
import { acknowledgeWildcardResources } from '../nag.ts';
import { FerryFunction } from './ferry-function.ts';
import { optedInFunctionArn, optedInFunctionsStatement, repositoryArns } from './worker-access.ts';

/** The Lambda actions of collection on target functions: read state (GetFunction, three lists), read then delete a version. */
export const GC_TARGET_ACTIONS = [
  'lambda:GetFunction',
  'lambda:GetFunctionConfiguration',
  'lambda:ListVersionsByFunction',
  'lambda:ListAliases',
  'lambda:ListProvisionedConcurrencyConfigs',
  'lambda:DeleteFunction',
] as const;

/** Properties of {@link Gc}. */
export interface GcProps {
  /** Path of the gc Lambda's entry. */
  readonly entry: string;
  readonly table: ITable;
  readonly historyIndexName: string;
  readonly lockTtlSeconds: number;
  /** Ferry's build repository. */
  readonly buildRepository: IRepository;
  /** The configured repositories (names, same account and region). */
  readonly repositoryNames: readonly string[];
  readonly optIn: OptIn;
  /** When gc runs; null: only on demand (`POST /v1/gc`). @default - once a day */
  readonly schedule?: ScheduleExpression | null;
  /** Distinct released digests kept per function. @default 3 */
  readonly rollbackDepth?: number;
  /** Images and versions younger than this are kept. @default 7 */
  readonly minimumAgeDays?: number;
  /** Images that go are deleted, or moved to ECR's archive storage class. @default 'delete' */
  readonly imageRemoval?: 'delete' | 'archive';
}

/** The gc Lambda and its schedule. */
export class Gc extends Construct {
  readonly handler: FerryFunction;
  /** The daily schedule; undefined when gc runs only on demand. */
  readonly schedule?: Schedule;

  constructor(scope: Construct, id: string, props: GcProps) {
    super(scope, id);
    this.handler = new FerryFunction(this, 'Handler', {
      entry: props.entry,
      description: 'Ferry gc: removes images and versions no release can need',
      // Paging every function's state and deleting one item at a time, under the function locks.
      timeout: Duration.minutes(10),
      environment: {
        FERRY_TABLE_NAME: props.table.tableName,
        FERRY_LOCK_TTL_SECONDS: String(props.lockTtlSeconds),
        ...(props.rollbackDepth ? { FERRY_GC_ROLLBACK_DEPTH: String(props.rollbackDepth) } : {}),
        ...(props.minimumAgeDays
          ? { FERRY_GC_MIN_AGE_SECONDS: String(props.minimumAgeDays * 86_400) }
          : {}),
        ...(props.imageRemoval === 'archive' ? { FERRY_GC_IMAGE_REMOVAL: 'archive' } : {}),
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    const role = this.handler.role;
    // Get: a lock holder's record; Put/Delete: the function locks; Update: marking releases.
    role.addToPolicy(
      new PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
        ],
        resources: [props.table.tableArn],
      }),
    );
    // The registered functions and each one's history.
    role.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${props.table.tableArn}/index/${props.historyIndexName}`],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        // UpdateImageStorageClass: `imageRemoval: archive` moves images to ECR's archive tier.
        actions: ['ecr:DescribeImages', 'ecr:BatchDeleteImage', 'ecr:UpdateImageStorageClass'],
        resources: [
          props.buildRepository.repositoryArn,
          ...repositoryArns(this, props.repositoryNames),
        ],
      }),
    );
    role.addToPolicy(optedInFunctionsStatement(this, GC_TARGET_ACTIONS, props.optIn));
    acknowledgeWildcardResources(
      role,
      [optedInFunctionArn(this, props.optIn)],
      'Target functions are chosen by teams at run time, so they cannot be listed at synth: access is limited to opted-in functions by the configured name-prefix ARN pattern and/or the aws:ResourceTag/ferry:managed=true condition.',
    );
    if (props.schedule === null) return;
    // The schedule's own role, beside the Lambda it may invoke (and nothing else).
    const invoker = new Role(this, 'ScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: 'Lets the gc schedule invoke the gc Lambda',
    });
    this.schedule = new Schedule(this, 'Daily', {
      description: 'Ferry gc, once a day',
      schedule: props.schedule ?? ScheduleExpression.rate(Duration.days(1)),
      // One run at a time is enough: a missed day is made up by the next.
      target: new LambdaInvoke(this.handler.function, { retryAttempts: 0, role: invoker }),
    });
    acknowledgeWildcardResources(
      invoker,
      [`${this.handler.function.functionArn}:*`],
      "CDK's Lambda target grants invoking the function's versions too (`<arn>:*`): the gc Lambda only, no other function.",
    );
  }
}

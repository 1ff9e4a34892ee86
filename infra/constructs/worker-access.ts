/**
 * What each worker's code calls, as IAM actions by the resources they apply to: read off the
 * ports each core uses (services/workers/<step>/core.ts) and the SDK commands each AWS adapter
 * sends for them. test/infra/least-privilege.test.ts checks every role against the commands its
 * bundle holds, both ways; change this when a worker starts calling something new.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { WorkerStep } from '../../services/core/steps.ts';
import type { OptIn } from '../config.ts';

/** The IAM actions of one worker, by the resources they apply to. */
export interface WorkerAccess {
  /** DynamoDB actions on the store table. */
  readonly table: readonly string[];
  /** DynamoDB actions on the history index (listByFunction). */
  readonly historyIndex?: readonly string[];
  /** Lambda actions on opted-in target functions only. */
  readonly targets?: readonly string[];
  /** ECR actions on the configured repositories and the build repository. */
  readonly images?: readonly string[];
  /** ECR actions on the build repository only (candidate tags live nowhere else). */
  readonly buildImages?: readonly string[];
  /** CloudWatch actions on the account's alarms (the settings name them at run time). */
  readonly alarms?: readonly string[];
  /** CloudWatch metric reads, which IAM scopes to no resource (`*`). */
  readonly metrics?: readonly string[];
  /**
   * Step Functions task-token calls (a hold resuming itself when an abort came first), on the
   * deploy state machine only: granted by Workers.allowCallbacks once the state machine exists.
   */
  readonly callbacks?: readonly string[];
}

// Every worker records its step (withStep: GetItem + UpdateItem) and patches the deployment.
const RECORD = ['dynamodb:GetItem', 'dynamodb:UpdateItem'];
// GetFunction without lambda:ListTags answers without the function's tags (Lambda returns them
// only to callers allowed ListTags); no worker reads them, and tag opt-in is IAM's condition.
const DESCRIBE = ['lambda:GetFunction'];
// A hold records its task token (PutItem) and reads the record for an abort.
const HOLD: WorkerAccess = {
  table: [...RECORD, 'dynamodb:PutItem'],
  callbacks: ['states:SendTaskSuccess'],
};

/** Each worker's actions. */
export const WORKER_ACCESS: Readonly<Record<WorkerStep, WorkerAccess>> = {
  // Lock (conditional PutItem), history (Query on the index), describe target, preflight image;
  // claim the start notification once (conditional PutItem), give it back when it fails (DeleteItem).
  Prepare: {
    table: [...RECORD, 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
    historyIndex: ['dynamodb:Query'],
    targets: [...DESCRIBE, 'lambda:GetAlias'],
    images: ['ecr:DescribeImages'],
    // The alarms already firing when a gradual release starts.
    alarms: ['cloudwatch:DescribeAlarms'],
  },
  ResolveImage: { table: RECORD, images: ['ecr:BatchGetImage'] },
  // Manifest via BatchGetImage; the config blob via its download URL.
  ScanImage: { table: RECORD, images: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] },
  // Retag = re-put the manifest bytes under the release tag.
  Promote: { table: RECORD, images: ['ecr:BatchGetImage', 'ecr:PutImage'] },
  // Update (its waiter polls GetFunction), then publish (a version not yet Active is waited
  // for by the SDK's waitForPublishedVersionActive, which polls GetFunctionConfiguration).
  UpdateFunction: {
    table: RECORD,
    targets: [
      ...DESCRIBE,
      'lambda:UpdateFunctionCode',
      'lambda:PublishVersion',
      'lambda:GetFunctionConfiguration',
    ],
  },
  // Put provisioned concurrency on the new version, then poll it.
  ProvisionConcurrency: {
    table: RECORD,
    targets: ['lambda:PutProvisionedConcurrencyConfig', 'lambda:GetProvisionedConcurrencyConfig'],
  },
  // Read the digest's cold-start verdict (GetItem), record a new one (PutItem).
  SmokeInvoke: { table: [...RECORD, 'dynamodb:PutItem'], targets: ['lambda:InvokeFunction'] },
  // A step's weight: UpdateAlias with a routing config (CreateAlias only if it vanished; GetAlias
  // tells a missing alias from a missing version when UpdateAlias answers "not found").
  ShiftTraffic: {
    table: RECORD,
    targets: ['lambda:UpdateAlias', 'lambda:GetAlias', 'lambda:CreateAlias'],
  },
  Hold: HOLD,
  // The new and old versions' metrics (GetMetricData) and the settings' alarms.
  JudgeStep: {
    table: RECORD,
    metrics: ['cloudwatch:GetMetricData'],
    alarms: ['cloudwatch:DescribeAlarms'],
  },
  AwaitApproval: HOLD,
  // setAlias: UpdateAlias, or CreateAlias on a function's first deployment (after GetAlias found
  // no alias: UpdateAlias's "not found" may also mean a missing version).
  Activate: {
    table: RECORD,
    targets: ['lambda:UpdateAlias', 'lambda:GetAlias', 'lambda:CreateAlias'],
  },
  Rollback: {
    table: RECORD,
    targets: [
      ...DESCRIBE,
      'lambda:GetAlias',
      'lambda:UpdateFunctionCode',
      'lambda:UpdateAlias',
      'lambda:CreateAlias',
      'lambda:DeleteProvisionedConcurrencyConfig',
    ],
  },
  // Release the lock (conditional DeleteItem); delete a rejected candidate tag; claim each
  // notification and the metric line once (conditional PutItem), give back a failed one (DeleteItem).
  // Once SUCCEEDED, the replaced version's provisioned concurrency goes. Lambda answers that
  // delete "not found" both when the version has none and when it is gone: GetFunction on the
  // version tells them apart.
  Finalize: {
    table: [...RECORD, 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
    buildImages: ['ecr:BatchDeleteImage'],
    targets: ['lambda:DeleteProvisionedConcurrencyConfig', 'lambda:GetFunction'],
  },
};

/** The tag a function carries to opt in (when tag opt-in is on). */
export const OPT_IN_TAG = { key: 'ferry:managed', value: 'true' } as const;

/**
 * A statement allowing `actions` on opted-in functions only: those named with the prefix (ARN
 * pattern, qualified ARNs included) and/or tagged `ferry:managed=true` (aws:ResourceTag). With
 * both configured, a function must satisfy both.
 */
export function optedInFunctionsStatement(
  scope: IConstruct,
  actions: readonly string[],
  optIn: OptIn,
): PolicyStatement {
  return new PolicyStatement({
    actions: [...actions],
    resources: [optedInFunctionArn(scope, optIn)],
    ...(optIn.tag
      ? {
          conditions: { StringEquals: { [`aws:ResourceTag/${OPT_IN_TAG.key}`]: OPT_IN_TAG.value } },
        }
      : {}),
  });
}

/** The ARN pattern of opted-in functions: every function, or those with the name prefix. */
export function optedInFunctionArn(scope: IConstruct, optIn: OptIn): string {
  return Stack.of(scope).formatArn({
    service: 'lambda',
    resource: 'function',
    resourceName: `${optIn.namePrefix ?? ''}*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/**
 * The ARN pattern of opted-in functions' Lambda log groups (`/aws/lambda/<name>`): every
 * function's, or those with the name prefix. It covers the `:*` form IAM evaluates most log
 * actions on. Log groups carry no copy of a function's tags, so tag opt-in cannot narrow it.
 */
export function optedInLogGroupArn(scope: IConstruct, optIn: OptIn): string {
  return Stack.of(scope).formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: `/aws/lambda/${optIn.namePrefix ?? ''}*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** ARNs of ECR repositories in this stack's account and region, by name. */
export function repositoryArns(scope: IConstruct, names: readonly string[]): string[] {
  return names.map((name) =>
    Stack.of(scope).formatArn({ service: 'ecr', resource: 'repository', resourceName: name }),
  );
}

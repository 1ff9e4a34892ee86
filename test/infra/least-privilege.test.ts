/**
 * Least privilege, proven both ways for every Lambda the stack deploys: each role's Allow actions
 * (in the synthesized full template) equal the AWS calls the code its entry bundles can make
 * (esbuild as `cdk deploy` runs it, tree-shaken, SDK inside; see support/sdk-actions.ts). A grant
 * no bundled code can use is over-privilege; a call the role does not allow fails on AWS.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import {
  API_HANDLER_ENTRY,
  ECR_TRIGGER_HANDLER_ENTRY,
  GC_HANDLER_ENTRY,
} from '../../infra/ferry-stack.ts';
import { WORKER_STEPS, workerFolder } from '../../services/core/steps.ts';
import { bundleLambda } from '../support/lambda-bundle.ts';
import { fullTemplate } from './support/app.ts';
import { actionsOf, allowStatementsOf } from './support/iam.ts';
import { type RoleExpectation, roleMismatch } from './support/least-privilege.ts';
import {
  bundleActions,
  bundledCommands,
  CREDENTIAL_CLIENTS,
  iamAction,
  LIBRARY_ONLY_ACTIONS,
  sentOperations,
} from './support/sdk-actions.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = mkdtempSync(join(tmpdir(), 'ferry-least-privilege-'));

// Every Ferry Lambda's role lets Lambda write the function's own log group: the runtime does
// that with the role's credentials (FerryFunction grants it), the code never calls it.
const LAMBDA_LOGGING = ['logs:CreateLogStream', 'logs:PutLogEvents'];

/** Every entry the stack deploys with its role's logical id prefix. */
const LAMBDAS: readonly { entry: string; role: string }[] = [
  { entry: API_HANDLER_ENTRY.slice(ROOT.length), role: 'ApiHandlerRole' },
  { entry: ECR_TRIGGER_HANDLER_ENTRY.slice(ROOT.length), role: 'EcrTriggerRole' },
  { entry: GC_HANDLER_ENTRY.slice(ROOT.length), role: 'GcHandlerRole' },
  ...WORKER_STEPS.map((step) => ({
    entry: `services/workers/${workerFolder(step)}/handler.ts`,
    role: `Workers${step}Role`,
  })),
];

// The deployment store (dynamo-store.ts, with its claims) is one adapter for every Lambda: a
// step that only records itself never takes or releases a lock, claims a message or reads history.
const STORE_WRITES = ['dynamodb:DeleteItem', 'dynamodb:PutItem'];
const HISTORY = ['dynamodb:Query'];

/**
 * Actions a Lambda's bundle holds but its path never sends: each comes from an adapter it shares
 * with other steps (a class's methods are bundled together) and is not called by this step's
 * core. Checked against the bundle both ways: an entry that is granted, or no longer bundled,
 * fails as stale. A new SDK call in a shared adapter appears here as "missing" for every Lambda
 * that bundles it, until it is granted where it is called and listed here where it is not.
 */
const NOT_SENT: Readonly<Record<string, readonly string[]>> = {
  // `ferry doctor` reads the target through the Functions adapter: GetFunction and GetAlias only;
  // `POST /v1/gc` invokes the gc Lambda (InvokeFunction, granted on that function alone).
  ApiHandlerRole: [
    'lambda:CreateAlias',
    'lambda:DeleteProvisionedConcurrencyConfig',
    'lambda:GetFunctionConfiguration',
    'lambda:GetProvisionedConcurrencyConfig',
    'lambda:PublishVersion',
    'lambda:PutProvisionedConcurrencyConfig',
    'lambda:UpdateAlias',
    'lambda:UpdateFunctionCode',
  ],
  // SfnWorkflow also ends waits (approve, abort): the API's calls, never a push's.
  EcrTriggerRole: ['states:SendTaskSuccess'],
  // gc lists, deletes or archives images; the registry adapter its ECR inventory shares failure
  // codes with comes along.
  GcHandlerRole: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:PutImage'],
  // Prepare describes the target and its alias, checks the image; it changes nothing on either.
  // Its notifier puts no status events: only Finalize's environment names an event bus.
  WorkersPrepareRole: [
    'ecr:BatchDeleteImage',
    'ecr:BatchGetImage',
    'ecr:GetDownloadUrlForLayer',
    'ecr:PutImage',
    'events:PutEvents',
    'lambda:CreateAlias',
    'lambda:DeleteProvisionedConcurrencyConfig',
    'lambda:GetFunctionConfiguration',
    'lambda:GetProvisionedConcurrencyConfig',
    'lambda:InvokeFunction',
    'lambda:PublishVersion',
    'lambda:PutProvisionedConcurrencyConfig',
    'lambda:UpdateAlias',
    'lambda:UpdateFunctionCode',
  ],
  // Reads the manifest (BatchGetImage) only.
  WorkersResolveImageRole: [
    ...STORE_WRITES,
    ...HISTORY,
    'ecr:BatchDeleteImage',
    'ecr:DescribeImages',
    'ecr:GetDownloadUrlForLayer',
    'ecr:PutImage',
  ],
  // Reads the manifest and the config blob's URL only.
  WorkersScanImageRole: [
    ...STORE_WRITES,
    ...HISTORY,
    'ecr:BatchDeleteImage',
    'ecr:DescribeImages',
    'ecr:PutImage',
  ],
  // Reads the manifest and re-puts it under the release tag.
  WorkersPromoteRole: [
    ...STORE_WRITES,
    ...HISTORY,
    'ecr:BatchDeleteImage',
    'ecr:DescribeImages',
    'ecr:GetDownloadUrlForLayer',
  ],
  // Updates the code, waits, publishes; never touches aliases, concurrency or invokes.
  WorkersUpdateFunctionRole: [
    ...STORE_WRITES,
    ...HISTORY,
    'lambda:CreateAlias',
    'lambda:DeleteProvisionedConcurrencyConfig',
    'lambda:GetAlias',
    'lambda:GetProvisionedConcurrencyConfig',
    'lambda:InvokeFunction',
    'lambda:PutProvisionedConcurrencyConfig',
    'lambda:UpdateAlias',
  ],
  // Puts and polls provisioned concurrency only.
  WorkersProvisionConcurrencyRole: [
    ...STORE_WRITES,
    ...HISTORY,
    'lambda:CreateAlias',
    'lambda:DeleteProvisionedConcurrencyConfig',
    'lambda:GetAlias',
    'lambda:GetFunction',
    'lambda:GetFunctionConfiguration',
    'lambda:InvokeFunction',
    'lambda:PublishVersion',
    'lambda:UpdateAlias',
    'lambda:UpdateFunctionCode',
  ],
  // Invokes the version; records cold-start verdicts (PutItem), never deletes.
  WorkersSmokeInvokeRole: [
    'dynamodb:DeleteItem',
    ...HISTORY,
    'lambda:CreateAlias',
    'lambda:DeleteProvisionedConcurrencyConfig',
    'lambda:GetAlias',
    'lambda:GetFunction',
    'lambda:GetFunctionConfiguration',
    'lambda:GetProvisionedConcurrencyConfig',
    'lambda:PublishVersion',
    'lambda:PutProvisionedConcurrencyConfig',
    'lambda:UpdateAlias',
    'lambda:UpdateFunctionCode',
  ],
  // Writes the alias's weights (setAliasRouting) only.
  WorkersShiftTrafficRole: [
    ...STORE_WRITES,
    ...HISTORY,
    'lambda:DeleteProvisionedConcurrencyConfig',
    'lambda:GetFunction',
    'lambda:GetFunctionConfiguration',
    'lambda:GetProvisionedConcurrencyConfig',
    'lambda:InvokeFunction',
    'lambda:PublishVersion',
    'lambda:PutProvisionedConcurrencyConfig',
    'lambda:UpdateFunctionCode',
  ],
  // A hold puts its token record; it never deletes one (Finalize and the API do).
  WorkersHoldRole: ['dynamodb:DeleteItem', ...HISTORY],
  WorkersAwaitApprovalRole: ['dynamodb:DeleteItem', ...HISTORY],
  WorkersJudgeStepRole: [...STORE_WRITES, ...HISTORY],
  // Points the alias at the version (setAlias) only.
  WorkersActivateRole: [
    ...STORE_WRITES,
    ...HISTORY,
    'lambda:DeleteProvisionedConcurrencyConfig',
    'lambda:GetFunction',
    'lambda:GetFunctionConfiguration',
    'lambda:GetProvisionedConcurrencyConfig',
    'lambda:InvokeFunction',
    'lambda:PublishVersion',
    'lambda:PutProvisionedConcurrencyConfig',
    'lambda:UpdateFunctionCode',
  ],
  // Restores the alias and $LATEST, removes the new version's concurrency; publishes nothing.
  WorkersRollbackRole: [
    ...STORE_WRITES,
    ...HISTORY,
    'lambda:GetFunctionConfiguration',
    'lambda:GetProvisionedConcurrencyConfig',
    'lambda:InvokeFunction',
    'lambda:PublishVersion',
    'lambda:PutProvisionedConcurrencyConfig',
  ],
  // Deletes a rejected candidate tag and the replaced version's concurrency only.
  WorkersFinalizeRole: [
    ...HISTORY,
    'ecr:BatchGetImage',
    'ecr:DescribeImages',
    'ecr:GetDownloadUrlForLayer',
    'ecr:PutImage',
    'lambda:CreateAlias',
    'lambda:GetAlias',
    'lambda:GetFunctionConfiguration',
    'lambda:GetProvisionedConcurrencyConfig',
    'lambda:InvokeFunction',
    'lambda:PublishVersion',
    'lambda:PutProvisionedConcurrencyConfig',
    'lambda:UpdateAlias',
    'lambda:UpdateFunctionCode',
  ],
};

/**
 * Granted though the code never calls them, beyond Lambda's logging (secrets are granted with
 * grantSecretValue, the value alone, not CDK's grantRead, which adds DescribeSecret): none.
 */
const GRANTED_NOT_CALLED: Readonly<Record<string, readonly string[]>> = {};

/** The role's expectation: Lambda's logging, and the actions its shared adapters hold unsent. */
function expectation(role: string): RoleExpectation {
  return {
    grantedNotCalled: [...LAMBDA_LOGGING, ...(GRANTED_NOT_CALLED[role] ?? [])],
    notSent: NOT_SENT[role] ?? [],
  };
}

describe('IAM: every role allows exactly what its bundled code can call', () => {
  it.each(LAMBDAS)(
    '$role matches $entry',
    async ({ entry, role }) => {
      const bundle = await bundleLambda(entry, OUT, entry.replaceAll('/', '-'));
      const derived = bundleActions(bundle);
      // Every command the bundle holds is one Ferry's code sends, or one only the SDK itself keeps;
      // none is the credential chain's (Lambda's credentials come from the environment).
      const bundled = bundledCommands(bundle);
      expect(bundled.filter((c) => CREDENTIAL_CLIENTS.includes(c.pkg))).toEqual([]);
      const unexplained = bundled
        .map((c) => iamAction(c.pkg, c.operation))
        .filter((a) => !derived.includes(a) && !LIBRARY_ONLY_ACTIONS.includes(a));
      expect(unexplained, `${entry} bundles commands no Ferry module imports`).toEqual([]);
      const granted = actionsOf(allowStatementsOf(fullTemplate(), role));
      expect(granted.length, `no statements for ${role}`).toBeGreaterThan(LAMBDA_LOGGING.length);
      expect(roleMismatch(derived, granted, expectation(role))).toEqual({
        overGranted: [],
        missing: [],
        stale: [],
      });
    },
    60_000,
  );
});

describe('IAM: the bundle check can fail', () => {
  it('names an action a role is granted beyond what its bundle can call', async () => {
    // GIVEN the Hold worker's bundle, and a role with its grants plus one more
    const bundle = await bundleLambda('services/workers/hold/handler.ts', OUT, 'hold-over');
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Over');
    const role = new Role(stack, 'HoldRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    const hold = actionsOf(allowStatementsOf(fullTemplate(), 'WorkersHoldRole'));
    role.addToPolicy(
      new PolicyStatement({ actions: [...hold, 'lambda:UpdateFunctionCode'], resources: ['*'] }),
    );
    // WHEN compared
    const granted = actionsOf(allowStatementsOf(Template.fromStack(stack), 'HoldRole'));
    const mismatch = roleMismatch(bundleActions(bundle), granted, expectation('WorkersHoldRole'));
    // THEN the extra grant is named, nothing else
    expect(mismatch).toEqual({
      overGranted: ['lambda:UpdateFunctionCode'],
      missing: [],
      stale: [],
    });
  }, 60_000);

  it('names a command a bundle can send that its role does not allow', async () => {
    // GIVEN Hold's handler plus a DeleteFunction call, against Hold's real role
    const bundle = await bundleLambda(
      'test/infra/fixtures/extra-command-handler.ts',
      OUT,
      'hold-plus-delete',
    );
    const granted = actionsOf(allowStatementsOf(fullTemplate(), 'WorkersHoldRole'));
    // WHEN compared
    const mismatch = roleMismatch(bundleActions(bundle), granted, expectation('WorkersHoldRole'));
    // THEN the call the role would refuse is named
    expect(mismatch).toEqual({ overGranted: [], missing: ['lambda:DeleteFunction'], stale: [] });
  }, 60_000);

  it('names expectations that no longer hold', () => {
    const mismatch = roleMismatch(
      ['dynamodb:GetItem', 'dynamodb:Query'],
      ['dynamodb:GetItem', 'dynamodb:Scan'],
      {
        grantedNotCalled: ['logs:PutLogEvents'],
        notSent: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:DeleteItem'],
      },
    );
    expect(mismatch).toEqual({
      overGranted: ['dynamodb:Scan'],
      missing: [],
      stale: [
        'dynamodb:GetItem is listed as not sent but granted',
        'dynamodb:DeleteItem is listed as not sent but not bundled',
        'logs:PutLogEvents is listed as granted but is not',
      ],
    });
  });

  it('reads waiters and document commands as the IAM actions they send', async () => {
    const bundle = await bundleLambda('services/workers/update-function/handler.ts', OUT, 'uf');
    const sent = sentOperations(bundle);
    // waitForFunctionUpdatedV2 polls GetFunction; waitForPublishedVersionActive polls
    // GetFunctionConfiguration; lib-dynamodb's UpdateCommand is UpdateItem.
    expect(sent).toContainEqual({
      action: 'lambda:GetFunctionConfiguration',
      module: 'services/adapters/aws/lambda-functions.ts',
    });
    expect(sent.map((s) => s.action)).toContain('dynamodb:UpdateItem');
    // Commands the SDK's packages bundle but Ferry's code never imports are not counted.
    expect(
      Object.keys(bundle.inputs).some((i) =>
        i.endsWith('lib-dynamodb/dist-es/commands/ScanCommand.js'),
      ),
    ).toBe(true);
    expect(sent.map((s) => s.action)).not.toContain('dynamodb:Scan');
    expect(sent.map((s) => s.action)).not.toContain('dynamodb:DescribeEndpoints');
  }, 60_000);
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FerryFunction } from '../../infra/constructs/ferry-function.ts';
import {
  CALLBACK_WORKER_TIMEOUT_SECONDS,
  UPDATE_MAX_WAIT_SECONDS,
} from '../../infra/constructs/workers.ts';
import { loadWorkerConfig } from '../../services/core/config.ts';
import { WORKER_STEPS, type WorkerStep } from '../../services/core/steps.ts';
import { readDeployDefinitionText } from '../../statemachine/substitutions.ts';
import { type Cfn, fullTemplate } from './support/app.ts';
import { actionsOf, allowStatementsOf, type Statement } from './support/iam.ts';

const definition = JSON.parse(readDeployDefinitionText());

interface WorkerFunction {
  readonly id: string;
  readonly props: Record<string, Cfn>;
  readonly dependsOn: readonly string[];
}

/** The worker function resources, by step (found by their description). */
function workerFunctions(): Record<WorkerStep, WorkerFunction> {
  const functions = Object.entries(fullTemplate().findResources('AWS::Lambda::Function'));
  const byStep = {} as Record<WorkerStep, WorkerFunction>;
  for (const step of WORKER_STEPS) {
    const found = functions.find(([, r]) => r.Properties.Description === `Ferry ${step} step`);
    if (!found) throw new Error(`no function for ${step}`);
    byStep[step] = {
      id: found[0],
      props: found[1].Properties,
      dependsOn: found[1].DependsOn ?? [],
    };
  }
  return byStep;
}

const statementsOf = (step: WorkerStep): Statement[] =>
  allowStatementsOf(fullTemplate(), `Workers${step}Role`);

describe('Construct: Workers', () => {
  it('creates one arm64 Node.js 22 function per worker step', () => {
    const functions = workerFunctions();
    for (const step of WORKER_STEPS) {
      expect(functions[step].props).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Description: `Ferry ${step} step`,
      });
    }
  });

  it("times each worker out before its state's TimeoutSeconds", () => {
    const functions = workerFunctions();
    for (const step of WORKER_STEPS) {
      const state = definition.States[step];
      if (state.TimeoutSecondsPath) continue; // a callback task: next test
      expect(functions[step].props.Timeout, step).toBeLessThan(state.TimeoutSeconds);
    }
  });

  it('gives a callback task its wait and its Lambda a short timeout (it records the token and returns)', () => {
    const functions = workerFunctions();
    const callbacks = WORKER_STEPS.filter((step) => definition.States[step].TimeoutSecondsPath);
    expect(callbacks).toEqual(['Hold', 'AwaitApproval']);
    for (const step of callbacks) {
      // The wait is the task's, from the input; no fixed TimeoutSeconds competes with it.
      expect(definition.States[step].TimeoutSeconds, step).toBeUndefined();
      expect(definition.States[step].Resource).toBe(
        'arn:aws:states:::lambda:invoke.waitForTaskToken',
      );
      expect(functions[step].props.Timeout, step).toBe(CALLBACK_WORKER_TIMEOUT_SECONDS);
    }
  });

  it('leaves UpdateFunction room for one bounded wait and Rollback for two', () => {
    const functions = workerFunctions();
    expect(functions.UpdateFunction.props.Timeout).toBeGreaterThanOrEqual(
      UPDATE_MAX_WAIT_SECONDS + 30,
    );
    expect(functions.Rollback.props.Timeout).toBeGreaterThanOrEqual(
      2 * UPDATE_MAX_WAIT_SECONDS + 30,
    );
  });

  it('sets the environment services/core/config.ts reads, and it validates', () => {
    for (const { props } of Object.values(workerFunctions())) {
      const env = props.Environment.Variables;
      expect(env).toMatchObject({
        FERRY_TABLE_NAME: { Ref: expect.stringMatching(/^StoreTable/) },
        FERRY_BUILD_REPOSITORY_URI: expect.anything(),
        FERRY_LOCK_TTL_SECONDS: String(definition.TimeoutSeconds + 600),
        FERRY_UPDATE_MAX_WAIT_SECONDS: String(UPDATE_MAX_WAIT_SECONDS),
        FERRY_ECR_REGISTRY_ID: '123456789012',
      });
      // With deploy-time values in place of references, the workers' own loader accepts it.
      const resolved = {
        ...env,
        FERRY_TABLE_NAME: 'table',
        FERRY_BUILD_REPOSITORY_URI: 'repo',
        ...(env.FERRY_SLACK_SECRET_ARN
          ? { FERRY_SLACK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:s' }
          : {}),
        ...(env.FERRY_PUBLIC_BASE_URL
          ? { FERRY_PUBLIC_BASE_URL: 'https://abc.execute-api.eu-west-1.amazonaws.com' }
          : {}),
      };
      expect(() => loadWorkerConfig(resolved)).not.toThrow();
    }
  });

  // The grants as a readable table; least-privilege.test.ts proves each against its bundle.
  it.each<[WorkerStep, string[]]>([
    [
      'Prepare',
      [
        'cloudwatch:DescribeAlarms',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'ecr:DescribeImages',
        'lambda:GetAlias',
        'lambda:GetFunction',
        'secretsmanager:GetSecretValue',
      ],
    ],
    ['ResolveImage', ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'ecr:BatchGetImage']],
    [
      'ScanImage',
      [
        'dynamodb:GetItem',
        'dynamodb:UpdateItem',
        'ecr:BatchGetImage',
        'ecr:GetDownloadUrlForLayer',
      ],
    ],
    ['Promote', ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'ecr:BatchGetImage', 'ecr:PutImage']],
    [
      'UpdateFunction',
      [
        'dynamodb:GetItem',
        'dynamodb:UpdateItem',
        'lambda:GetFunction',
        'lambda:GetFunctionConfiguration',
        'lambda:PublishVersion',
        'lambda:UpdateFunctionCode',
      ],
    ],
    [
      'ProvisionConcurrency',
      [
        'dynamodb:GetItem',
        'dynamodb:UpdateItem',
        'lambda:GetProvisionedConcurrencyConfig',
        'lambda:PutProvisionedConcurrencyConfig',
      ],
    ],
    [
      'SmokeInvoke',
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'lambda:InvokeFunction'],
    ],
    [
      'ShiftTraffic',
      [
        'dynamodb:GetItem',
        'dynamodb:UpdateItem',
        'lambda:CreateAlias',
        'lambda:GetAlias',
        'lambda:UpdateAlias',
      ],
    ],
    [
      'Hold',
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'states:SendTaskSuccess'],
    ],
    [
      'JudgeStep',
      [
        'cloudwatch:DescribeAlarms',
        'cloudwatch:GetMetricData',
        'dynamodb:GetItem',
        'dynamodb:UpdateItem',
      ],
    ],
    [
      'AwaitApproval',
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'states:SendTaskSuccess'],
    ],
    [
      'Activate',
      [
        'dynamodb:GetItem',
        'dynamodb:UpdateItem',
        'lambda:CreateAlias',
        'lambda:GetAlias',
        'lambda:UpdateAlias',
      ],
    ],
    [
      'Rollback',
      [
        'dynamodb:GetItem',
        'dynamodb:UpdateItem',
        'lambda:CreateAlias',
        'lambda:DeleteProvisionedConcurrencyConfig',
        'lambda:GetAlias',
        'lambda:GetFunction',
        'lambda:UpdateAlias',
        'lambda:UpdateFunctionCode',
      ],
    ],
    [
      'Finalize',
      [
        // A failed build's phase and last log lines (see build-projects.test.ts for the scope).
        'codebuild:BatchGetBuilds',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'ecr:BatchDeleteImage',
        'events:PutEvents',
        'lambda:DeleteProvisionedConcurrencyConfig',
        'lambda:GetFunction',
        'logs:GetLogEvents',
        'secretsmanager:GetSecretValue',
      ],
    ],
  ])('grants %s exactly the actions its code calls', (step, expected) => {
    expect(actionsOf(statementsOf(step))).toEqual(
      [...expected, 'logs:CreateLogStream', 'logs:PutLogEvents'].sort(),
    );
  });

  it('lets only the notifying steps read the Slack secret, and Finalize put events on the default bus only', () => {
    const functions = workerFunctions();
    for (const step of WORKER_STEPS) {
      const env = functions[step].props.Environment.Variables;
      const notifies = step === 'Prepare' || step === 'Finalize';
      expect(Boolean(env.FERRY_SLACK_SECRET_ARN), step).toBe(notifies);
      expect(Boolean(env.FERRY_PUBLIC_BASE_URL), step).toBe(notifies);
      expect(env.FERRY_EVENT_BUS_NAME, step).toBe(step === 'Finalize' ? 'default' : undefined);
      for (const statement of statementsOf(step)) {
        const actions = actionsOf([statement]);
        if (actions.some((a) => a.startsWith('secretsmanager:')))
          expect(statement.Resource).toEqual({ Ref: expect.stringMatching(/^Slack/) });
        if (actions.includes('events:PutEvents')) {
          expect(actions).toEqual(['events:PutEvents']);
          expect(JSON.stringify(statement.Resource)).toContain(':event-bus/default');
        }
      }
    }
  });

  it('limits Lambda actions to opted-in functions: name prefix and ferry:managed tag', () => {
    for (const step of WORKER_STEPS) {
      for (const statement of statementsOf(step)) {
        if (!actionsOf([statement]).some((a) => a.startsWith('lambda:'))) continue;
        expect(statement.Resource).toBe('arn:aws:lambda:eu-west-1:123456789012:function:prod-*');
        expect(statement.Condition).toEqual({
          StringEquals: { 'aws:ResourceTag/ferry:managed': 'true' },
        });
      }
    }
  });

  it('limits ECR actions to the configured repositories and the build repository', () => {
    const configured = [
      'arn:aws:ecr:eu-west-1:123456789012:repository/payments-api',
      'arn:aws:ecr:eu-west-1:123456789012:repository/team/checkout',
    ];
    const build = { 'Fn::GetAtt': [expect.stringMatching(/^ImagesRepository/), 'Arn'] };
    for (const step of WORKER_STEPS) {
      for (const statement of statementsOf(step)) {
        if (!actionsOf([statement]).some((a) => a.startsWith('ecr:'))) continue;
        if (step === 'Finalize') expect(statement.Resource).toEqual(build);
        else expect(statement.Resource).toEqual(expect.arrayContaining([build, ...configured]));
        if (step !== 'Finalize') expect(statement.Resource).toHaveLength(3);
      }
    }
  });

  it('limits DynamoDB actions to the store table, and Query to its history index', () => {
    for (const step of WORKER_STEPS) {
      for (const statement of statementsOf(step)) {
        const actions = actionsOf([statement]);
        if (actions.includes('dynamodb:Query')) {
          expect(statement.Resource).toEqual({
            'Fn::Join': [
              '',
              [
                { 'Fn::GetAtt': [expect.stringMatching(/^StoreTable/), 'Arn'] },
                '/index/byFunction',
              ],
            ],
          });
        } else if (actions.some((a) => a.startsWith('dynamodb:'))) {
          expect(statement.Resource).toEqual({
            'Fn::GetAtt': [expect.stringMatching(/^StoreTable/), 'Arn'],
          });
        }
      }
    }
  });

  it("lets the callback workers SendTaskSuccess on the deploy state machine only, in a policy apart from the function's", () => {
    const template = fullTemplate();
    const machine = { Ref: expect.stringMatching(/^WorkflowStateMachine/) };
    for (const step of WORKER_STEPS) {
      const sends = statementsOf(step).filter((s) =>
        actionsOf([s]).includes('states:SendTaskSuccess'),
      );
      if (step !== 'Hold' && step !== 'AwaitApproval') {
        expect(sends, step).toEqual([]);
        continue;
      }
      expect(sends).toEqual([
        { Effect: 'Allow', Action: 'states:SendTaskSuccess', Resource: machine },
      ]);
      // The function must not wait for that policy: the state machine waits for the function.
      const [policyId] = Object.keys(
        template.findResources('AWS::IAM::Policy', {
          Properties: { PolicyName: Match.stringLikeRegexp(`^Workers${step}Callbacks`) },
        }),
      );
      expect(policyId, step).toBeDefined();
      expect(workerFunctions()[step].dependsOn, step).not.toContain(policyId);
    }
  });

  it('lets the judging workers read alarms by ARN pattern, and metrics on "*" (no resource-level permissions) only', () => {
    const alarms = 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*';
    for (const step of WORKER_STEPS) {
      for (const statement of statementsOf(step)) {
        const actions = actionsOf([statement]);
        if (actions.includes('cloudwatch:DescribeAlarms')) {
          expect([step, statement.Action, statement.Resource]).toEqual([
            step,
            'cloudwatch:DescribeAlarms',
            alarms,
          ]);
        }
        if (statement.Resource === '*' || actions.includes('cloudwatch:GetMetricData')) {
          expect([step, statement.Action, statement.Resource]).toEqual([
            'JudgeStep',
            'cloudwatch:GetMetricData',
            '*',
          ]);
        }
      }
    }
  });

  it('writes only to its own log group, through its own role (no AWS-managed policy)', () => {
    const roles = fullTemplate().findResources('AWS::IAM::Role');
    for (const step of WORKER_STEPS) {
      const [, role] =
        Object.entries(roles).find(([id]) => id.startsWith(`Workers${step}Role`)) ?? [];
      expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
      const logs = statementsOf(step).find((s) => actionsOf([s]).includes('logs:PutLogEvents'));
      expect(logs?.Resource).toEqual({
        'Fn::GetAtt': [expect.stringMatching(`^Workers${step}Logs`), 'Arn'],
      });
    }
  });
});

describe('Construct: FerryFunction (bundled for real)', () => {
  it('bundles an ESM file with the createRequire banner and the AWS SDK inside', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Bundle');
    new FerryFunction(stack, 'SmokeInvoke', {
      entry: fileURLToPath(
        new URL('../../services/workers/smoke-invoke/handler.ts', import.meta.url),
      ),
      description: 'bundling check',
      timeout: Duration.seconds(10),
      environment: {},
    });
    const assembly = app.synth();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
    });
    const [dir] = readdirSync(assembly.directory).filter((d) => d.startsWith('asset.'));
    const code = readFileSync(join(assembly.directory, dir as string, 'index.mjs'), 'utf8');
    expect(
      code.startsWith(
        "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      ),
    ).toBe(true);
    // The SDK is bundled (faster cold init, see docs/performance.md): nothing left to import.
    expect(code).not.toMatch(/from\s*"@aws-sdk\//);
    expect(code).toContain('"com.amazonaws.lambda"'); // the Lambda client's own code is in the bundle
  }, 60_000);
});

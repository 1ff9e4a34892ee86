/**
 * The deploy state machine: `statemachine/deploy.asl.json` verbatim, its `${…}` placeholders
 * filled by CloudFormation from `deploySubstitutions` (the one map the workflow tests use too).
 * The definition is passed as a string so the template shows it; CDK cannot infer permissions
 * from a string, so every grant is explicit here.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IProject } from 'aws-cdk-lib/aws-codebuild';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody,
  LogLevel,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { WORKER_STEPS, type WorkerStep } from '../../services/core/steps.ts';
import { deploySubstitutions, readDeployDefinitionText } from '../../statemachine/substitutions.ts';
import { acknowledgeRule } from '../nag.ts';

/** The rule Step Functions manages for `codebuild:startBuild.sync` (fixed name, per account). */
export const CODEBUILD_SYNC_RULE = 'StepFunctionsGetEventForCodeBuildStartBuildRule';

/** Properties of the Workflow. */
export interface WorkflowProps {
  /** Each worker step's function (its ARN fills `${<Step>FunctionArn}`). */
  readonly workers: Readonly<Record<WorkerStep, IFunction>>;
  /** The CodeBuild project building linux/amd64 images. */
  readonly x86BuildProject: IProject;
  /** The CodeBuild project building linux/arm64 images. */
  readonly arm64BuildProject: IProject;
  /**
   * How long the state machine's error logs are kept.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
}

/** The Standard state machine running deploy.asl.json, with X-Ray and error logging. */
export class Workflow extends Construct {
  /** The state machine. */
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const { workers, x86BuildProject, arm64BuildProject } = props;
    const logs = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(readDeployDefinitionText()),
      definitionSubstitutions: deploySubstitutions({
        workerArns: Object.fromEntries(
          WORKER_STEPS.map((step) => [step, workers[step].functionArn]),
        ) as Record<WorkerStep, string>,
        buildProjects: {
          x86_64: x86BuildProject.projectName,
          arm64: arm64BuildProject.projectName,
        },
      }),
      // Errors only, and without execution data: inputs and outputs may carry build args.
      logs: { destination: logs, level: LogLevel.ERROR, includeExecutionData: false },
      tracingEnabled: true,
    });

    // The ASL invokes each worker by its unqualified ARN: no version or alias wildcard needed.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: WORKER_STEPS.map((step) => workers[step].functionArn),
      }),
    );
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['codebuild:StartBuild', 'codebuild:StopBuild', 'codebuild:BatchGetBuilds'],
        resources: [x86BuildProject.projectArn, arm64BuildProject.projectArn],
      }),
    );
    // `.sync` waits on CodeBuild through an EventBridge rule Step Functions creates and manages.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        resources: [
          Stack.of(this).formatArn({
            service: 'events',
            resource: 'rule',
            resourceName: CODEBUILD_SYNC_RULE,
          }),
        ],
      }),
    );
    acknowledgeRule(
      this.stateMachine,
      'AwsSolutions-SF1',
      'Logging is ERROR level without execution data on purpose: inputs and outputs carry build args and smoke payloads, and Ferry records every step in its own store.',
    );
    acknowledgeRule(
      this.stateMachine,
      'AwsSolutions-IAM5[Resource::*]',
      'Added by CDK for X-Ray tracing (xray:PutTraceSegments, PutTelemetryRecords, GetSampling*) and CloudWatch Logs vended delivery (logs:*LogDelivery, PutResourcePolicy, Describe*): AWS defines no resource-level permissions for these actions.',
    );
  }
}

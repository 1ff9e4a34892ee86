/**
 * Where Ferry's alerts go: an encrypted SNS topic (subscribe e-mail, chat or paging to it), fed
 * by the CloudWatch alarms and by an EventBridge rule on the workflow's failed executions.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/** Execution statuses that alert: every end but SUCCEEDED (the error names the outcome). */
export const ALERTING_EXECUTION_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/** Properties of the Alerts. */
export interface AlertsProps {
  /** The deploy state machine whose failed executions alert. */
  readonly stateMachine: IStateMachine;
}

/** The alerts topic and the execution-status rule that publishes to it. */
export class Alerts extends Construct {
  /** The alerts topic. */
  readonly topic: Topic;
  /** The rule on the state machine's failed, timed-out and aborted executions. */
  readonly executionStatusRule: Rule;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    // A customer-managed key: CloudWatch alarms and EventBridge cannot publish to a topic
    // encrypted with the AWS-managed SNS key, whose policy cannot be changed.
    const key = new Key(this, 'Key', {
      description: 'Ferry alerts topic encryption',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
      key.grant(new ServicePrincipal(service), 'kms:Decrypt', 'kms:GenerateDataKey*');
    }
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Ferry alerts',
      masterKey: key,
      enforceSSL: true,
    });
    this.executionStatusRule = new Rule(this, 'ExecutionStatus', {
      description: 'Ferry: deploy executions that did not succeed',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: [...ALERTING_EXECUTION_STATUSES],
          stateMachineArn: [props.stateMachine.stateMachineArn],
        },
      },
      targets: [new SnsTopic(this.topic)],
    });
  }
}

/**
 * ECR push events → the trigger Lambda that turns them into deployments. The rule is
 * here; its target is the `pushHandler` prop, which the stack sets once
 * `services/triggers/ecr-handler.ts` exists.
 */
import { Duration } from 'aws-cdk-lib';
import { type EventPattern, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { candidateTag } from '../../services/core/workflow.ts';

/** The tag prefix of build candidates: pushes of these are Ferry's own and never trigger. */
export const CANDIDATE_TAG_PREFIX = candidateTag('');

/** The rule's pattern: successful pushes to the given repositories, candidate tags excluded. */
export function ecrPushPattern(repositoryNames: readonly string[]): EventPattern {
  return {
    source: ['aws.ecr'],
    detailType: ['ECR Image Action'],
    detail: {
      'action-type': ['PUSH'],
      result: ['SUCCESS'],
      'repository-name': [...repositoryNames],
      'image-tag': [{ 'anything-but': { prefix: CANDIDATE_TAG_PREFIX } }],
    },
  };
}

/** Properties of the Triggers. */
export interface TriggersProps {
  /** Repositories whose pushes may start deployments (auto-rollout rules decide which). */
  readonly repositoryNames: readonly string[];
  /**
   * The Lambda that handles ECR push events (`services/triggers/ecr-handler.ts`).
   * @default - the rule is created without a target
   */
  readonly pushHandler?: IFunction;
}

/** The ECR push rule (absent when no repository is configured). */
export class Triggers extends Construct {
  /** The push rule, or undefined when no repository is configured. */
  readonly ecrPushRule?: Rule;

  constructor(scope: Construct, id: string, props: TriggersProps) {
    super(scope, id);
    // An empty repository-name list is not a valid pattern, and there would be nothing to watch.
    if (props.repositoryNames.length === 0) return;
    this.ecrPushRule = new Rule(this, 'EcrPush', {
      description:
        'Ferry: successful ECR pushes (not ferry-candidate-*) to configured repositories',
      eventPattern: ecrPushPattern(props.repositoryNames),
    });
    if (props.pushHandler) {
      // EventBridge delivers best-effort and sometimes twice: the handler dedupes by event id.
      this.ecrPushRule.addTarget(
        new LambdaFunction(props.pushHandler, {
          retryAttempts: 4,
          maxEventAge: Duration.hours(2),
        }),
      );
    }
  }
}

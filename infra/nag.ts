/**
 * Acknowledging cdk-nag (AwsSolutions) findings, always with a reason. Wildcard findings are
 * acknowledged per resource, computed from the same ARN the grant used, so an acknowledgement
 * can never cover a wildcard nobody looked at.
 */
import { Stack, Validations } from 'aws-cdk-lib';
// cdk-nag's own flattening of CloudFormation references: the exact text of its finding ids.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/** Acknowledges a rule (e.g. 'AwsSolutions-L1') on `scope` and everything under it. */
export function acknowledgeRule(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** The IAM5 finding id cdk-nag reports for a wildcard resource ARN (tokens flattened). */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}]`;
}

/** Acknowledges IAM5 for exactly these wildcard resources, under `scope`. */
export function acknowledgeWildcardResources(
  scope: IConstruct,
  resources: readonly string[],
  reason: string,
): void {
  for (const resource of resources) {
    acknowledgeRule(scope, wildcardResourceFinding(scope, resource), reason);
  }
}

/** Acknowledges IAM5 for exactly these wildcard actions (e.g. 's3:GetObject*'), under `scope`. */
export function acknowledgeWildcardActions(
  scope: IConstruct,
  actions: readonly string[],
  reason: string,
): void {
  for (const action of actions)
    acknowledgeRule(scope, `AwsSolutions-IAM5[Action::${action}]`, reason);
}

/**
 * Walks every identity-based IAM statement in a template (AWS::IAM::Policy, ManagedPolicy and
 * Role inline policies) and finds mutating actions granted on `Resource: "*"`. Resource policies
 * (key, topic, repository policies) are not identity grants: there "*" means the resource itself.
 */
import type { Template } from 'aws-cdk-lib/assertions';

/** One Allow/Deny statement as it appears in the template. */
export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: Record<string, unknown>;
}

/** A statement, the resource that holds it and the roles it is attached to. */
export interface LocatedStatement {
  readonly logicalId: string;
  readonly statement: Statement;
  /** Logical ids of the roles the holding policy names (the role itself for inline policies). */
  readonly roles: readonly string[];
}

/** A mutating action on "*". */
export interface Violation {
  readonly logicalId: string;
  readonly action: string;
}

/**
 * Actions AWS defines without any resource, so "*" is the only possible Resource, each with
 * the feature that needs it. Anything else mutating on "*" fails the check.
 */
export const RESOURCELESS_ACTIONS: Readonly<Record<string, string>> = {
  'xray:PutTraceSegments': 'Step Functions X-Ray tracing',
  'xray:PutTelemetryRecords': 'Step Functions X-Ray tracing',
  'logs:CreateLogDelivery': 'Step Functions logging (CloudWatch Logs vended delivery)',
  'logs:UpdateLogDelivery': 'Step Functions logging (CloudWatch Logs vended delivery)',
  'logs:DeleteLogDelivery': 'Step Functions logging (CloudWatch Logs vended delivery)',
  'logs:PutResourcePolicy': 'Step Functions logging (CloudWatch Logs vended delivery)',
};

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** True for read-only actions: Describe*, Get*, List*, BatchGet* (incl. GetAuthorizationToken). */
export function isReadOnlyAction(action: string): boolean {
  const name = action.split(':')[1] ?? '';
  return /^(Describe|Get|List|BatchGet)[A-Z]/.test(name);
}

/** Every identity-based statement in the template. */
export function identityStatements(template: Template): LocatedStatement[] {
  const found: LocatedStatement[] = [];
  const add = (logicalId: string, document: unknown, roles: readonly string[]) => {
    const statements = (document as { Statement?: Statement | Statement[] } | undefined)?.Statement;
    for (const statement of asArray(statements)) found.push({ logicalId, statement, roles });
  };
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const [id, resource] of Object.entries(template.findResources(type))) {
      const roles = asArray(resource.Properties?.Roles as { Ref?: string }[]).flatMap((role) =>
        role.Ref ? [role.Ref] : [],
      );
      add(id, resource.Properties?.PolicyDocument, roles);
    }
  }
  for (const [id, resource] of Object.entries(template.findResources('AWS::IAM::Role'))) {
    for (const policy of asArray(resource.Properties?.Policies as { PolicyDocument: unknown }[])) {
      add(id, policy.PolicyDocument, [id]);
    }
  }
  return found;
}

/** Mutating actions (not read-only, not AWS-resourceless) allowed on "*". */
export function mutatingActionsOnStar(template: Template): Violation[] {
  const violations: Violation[] = [];
  for (const { logicalId, statement } of identityStatements(template)) {
    if (statement.Effect !== 'Allow') continue;
    if (!asArray(statement.Resource).includes('*')) continue;
    for (const action of asArray(statement.Action)) {
      if (!isReadOnlyAction(action) && !(action in RESOURCELESS_ACTIONS)) {
        violations.push({ logicalId, action });
      }
    }
  }
  return violations;
}

/**
 * The Allow statements of a role: those of every policy whose logical id starts with
 * `logicalIdPrefix` or that is attached to a role whose logical id does (a role may hold
 * statements in policies of their own, e.g. one that names a resource created after the role).
 */
export function allowStatementsOf(template: Template, logicalIdPrefix: string): Statement[] {
  const matches = (s: LocatedStatement) =>
    s.logicalId.startsWith(logicalIdPrefix) ||
    s.roles.some((role) => role.startsWith(logicalIdPrefix));
  return identityStatements(template)
    .filter((s) => matches(s) && s.statement.Effect === 'Allow')
    .map((s) => s.statement);
}

/** The actions a set of statements allows, sorted. */
export function actionsOf(statements: readonly Statement[]): string[] {
  return [...new Set(statements.flatMap((s) => asArray(s.Action)))].sort();
}

import { Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { parseFerryConfig } from '../../infra/config.ts';
import { cdkJsonContext, ferryStack } from './support/app.ts';

/** Every acknowledgement recorded under `scope`: rule id → reason. */
function acknowledgements(scope: IConstruct): Map<string, string> {
  const found = new Map<string, string>();
  for (const node of scope.node.findAll()) {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.set(`${node.node.path} ${id}`, reason);
      }
    }
  }
  return found;
}

const findings = (report: ReturnType<AwsSolutionsChecks['validateScope']>) =>
  report.violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`),
  );

describe('cdk-nag: AwsSolutions', () => {
  it('reports no unacknowledged finding on the full stack', () => {
    const { app } = ferryStack();
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(findings(report)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('reports none on the stack cdk.json configures', () => {
    const { app } = ferryStack({ config: parseFerryConfig(cdkJsonContext()) });
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(findings(report)).toEqual([]);
  });

  it('gives every acknowledgement a reason', () => {
    const { stack } = ferryStack();
    const acks = acknowledgements(stack);
    expect(acks.size).toBeGreaterThan(10);
    for (const [id, reason] of acks) expect(reason.length, id).toBeGreaterThan(40);
  });

  it('acknowledges Resource::* only where IAM has no resource, with the reason, nowhere wider', () => {
    const star = [...acknowledgements(ferryStack().stack)].filter(([id]) =>
      id.endsWith(' Annotation::AwsSolutions-IAM5[Resource::*]'),
    );
    expect(star.map(([id]) => id.split(' ')[0]).sort()).toEqual([
      'Ferry/Builds/Arm64',
      'Ferry/Builds/X86',
      // Only JudgeStep's role: a "*" anywhere else among the workers is still reported.
      'Ferry/Workers/JudgeStep/Role',
      'Ferry/Workflow/StateMachine',
    ]);
    const judge = star.find(([id]) => id.startsWith('Ferry/Workers/JudgeStep/Role '));
    expect(judge?.[1]).toMatch(/GetMetricData has no resource-level permissions/);
  });

  it('still reports what is not acknowledged (the check can fail)', () => {
    const { app, stack } = ferryStack();
    // A wildcard grant nobody acknowledged.
    stack.api?.handler.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }),
    );
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(findings(report)).toEqual([
      'AwsSolutions-IAM5[Resource::arn:aws:s3:::b/*] at Ferry/Api/Handler/Role/DefaultPolicy/Resource',
    ]);
  });
});

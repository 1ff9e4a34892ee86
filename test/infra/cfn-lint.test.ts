/**
 * CloudFormation's own linter on the synthesized templates, default and full configuration:
 * no errors, and warnings only from the allow-list below, each with why.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFerryConfig } from '../../infra/config.ts';
import { cdkJsonContext, ferryStack } from './support/app.ts';

const run = promisify(execFile);

/** Findings the templates carry by design. */
const ALLOWED: Record<string, string> = {
  W3005:
    "CDK writes explicit DependsOn on roles' default policies that are also implied by Ref/GetAtt: redundant, harmless, and not ours to remove.",
};

interface Finding {
  readonly Rule: { readonly Id: string };
  readonly Level: string;
  readonly Message: string;
  readonly Location: { readonly Path: readonly (string | number)[] };
}

const dir = mkdtempSync(join(tmpdir(), 'ferry-cfn-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs cfn-lint on one template (its exit code is non-zero whenever it finds anything). */
async function lint(name: string, template: Template): Promise<Finding[]> {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(template.toJSON()));
  const out = await run('cfn-lint', ['--format', 'json', '--', file], {
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string }) => {
    if (!error.stdout) throw new Error(`cfn-lint did not run: ${error.stderr ?? String(error)}`);
    return { stdout: error.stdout };
  });
  return JSON.parse(out.stdout || '[]') as Finding[];
}

describe('cfn-lint on the synthesized templates', () => {
  it.each([
    ['default', () => ferryStack({ config: parseFerryConfig(cdkJsonContext()) }).stack],
    ['full', () => ferryStack().stack],
  ])(
    'finds no errors and only allowed warnings in the %s configuration',
    async (name, stack) => {
      const findings = await lint(name, Template.fromStack(stack()));
      const unexpected = findings
        .filter((f) => !(f.Rule.Id in ALLOWED))
        .map((f) => `${f.Level} ${f.Rule.Id} at ${f.Location.Path.join('/')}: ${f.Message}`);
      expect(unexpected).toEqual([]);
    },
    120_000,
  );

  it('reports a broken template (the check can fail)', async () => {
    const broken = Template.fromJSON({
      Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 'soon' } } },
    });
    const findings = await lint('broken', broken);
    expect(findings.some((f) => f.Level === 'Error')).toBe(true);
  });
});

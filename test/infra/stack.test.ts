import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseFerryConfig } from '../../infra/config.ts';
import { WORKER_STEPS } from '../../services/core/steps.ts';
import { cdkJsonContext, ferryStack, fullTemplate } from './support/app.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('Stack: FerryStack', () => {
  it('outputs what an operator needs after deploy', () => {
    const outputs = Object.keys(fullTemplate().findOutputs('*'));
    for (const name of [
      'ApiUrl',
      'StateMachineArn',
      'BuildRepositoryUri',
      'TableName',
      'AlertsTopicArn',
      'SlackSecretArn',
    ]) {
      expect(outputs).toContain(name);
    }
  });

  it('warns, instead of failing, while the API and trigger handlers do not exist', () => {
    const { stack } = ferryStack({
      config: parseFerryConfig({ ...cdkJsonContext(), 'ferry:repositories': ['a-repo'] }),
      apiHandlerEntry: '/nonexistent/api.ts',
      ecrTriggerHandlerEntry: '/nonexistent/ecr.ts',
    });
    const warnings = Annotations.fromStack(stack).findWarning(
      '*',
      Match.stringLikeRegexp('does not exist yet'),
    );
    expect(warnings.map((w) => w.entry.data)).toEqual([
      expect.stringContaining('No API: /nonexistent/api.ts'),
      expect.stringContaining('ECR push rule has no target: /nonexistent/ecr.ts'),
    ]);
    // The workers and the scheduled gc: no API, no trigger.
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', WORKER_STEPS.length + 1);
  });
});

describe('Stack: FerryStack dependencies', () => {
  it('has no dependency cycle (the callback workers may call the state machine that invokes them)', () => {
    // Template.fromStack refuses a template whose resources depend on each other in a cycle.
    expect(() => Template.fromStack(ferryStack().stack)).not.toThrow();
    const cyclic = {
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function', DependsOn: ['Policy'], Properties: {} },
        Policy: { Type: 'AWS::IAM::Policy', Properties: { Resource: { Ref: 'Machine' } } },
        Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { F: { Ref: 'Fn' } } },
      },
    };
    expect(() => Template.fromJSON(cyclic)).toThrow(/dependency cycle/);
  });
});

describe('Stack: FerryStack under CDK validation', () => {
  it("passes CDK's CloudFormation schema and default-rule validation at synth", () => {
    const { app } = ferryStack({ validate: true });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('App: bin/app.ts', () => {
  it('stops at synth with the bad value and the fix when the context is invalid', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        CDK_CONTEXT_JSON: JSON.stringify({ 'ferry:repositories': 'my-repo' }),
        CDK_OUTDIR: '/tmp/ferry-cdk-out-invalid',
      },
      timeout: 60_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('ferry:repositories must be a list of names; got "my-repo"');
    expect(result.stderr).toContain('Fix: "ferry:repositories": ["my-service", "team/api"]');
  }, 60_000);
});

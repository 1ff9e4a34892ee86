/**
 * Contract tests of the deploy workflow definition against the code: placeholders, error
 * names, workers, retry and catch routing (the README's flow).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CODEBUILD_TRANSIENT_ERRORS,
  FERRY_ERROR_NAMES,
  LAMBDA_SERVICE_ERRORS,
} from '../services/core/errors.ts';
import { WORKER_STEPS, workerFolder } from '../services/core/steps.ts';
import {
  deploySubstitutions,
  exampleSubstitutionInputs,
  placeholdersIn,
  readDeployDefinitionText,
  substitute,
} from './substitutions.ts';

const require = createRequire(import.meta.url);
const validate = require('asl-validator') as (d: unknown) => {
  isValid: boolean;
  errorsText: () => string;
};

interface State {
  Type: string;
  Resource?: string;
  Parameters?: { FunctionName?: string };
  TimeoutSecondsPath?: string;
  Next?: string;
  Default?: string;
  Choices?: Array<{
    Next: string;
    Variable?: string;
    BooleanEquals?: boolean;
    StringEquals?: string;
  }>;
  Retry?: Array<{ ErrorEquals: string[] }>;
  Catch?: Array<{ ErrorEquals: string[]; Next: string; ResultPath?: string }>;
  QueryLanguage?: string;
}

const text = readDeployDefinitionText();
const map = deploySubstitutions(exampleSubstitutionInputs());
const definition = JSON.parse(substitute(text, map)) as {
  States: Record<string, State>;
  QueryLanguage?: string;
};
const states = definition.States;
const CALLBACK_RESOURCE = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const taskNames = Object.keys(states).filter((n) => states[n]?.Type === 'Task');

function successors(name: string): string[] {
  const s = states[name];
  if (!s) return [];
  return [
    ...(s.Next ? [s.Next] : []),
    ...(s.Default ? [s.Default] : []),
    ...(s.Choices ?? []).map((c) => c.Next),
    ...(s.Catch ?? []).map((c) => c.Next),
  ];
}

function predecessors(target: string): string[] {
  return Object.keys(states).filter((n) => successors(n).includes(target));
}

describe('Contract: deploy.asl.json', () => {
  it('passes asl-validator once substituted', () => {
    const result = validate(definition);
    expect(result.isValid, result.errorsText()).toBe(true);
  });

  it('fails asl-validator when a transition points nowhere (the check can fail)', () => {
    const broken = structuredClone(definition);
    (broken.States.Prepare as State).Next = 'NoSuchState';
    expect(validate(broken).isValid).toBe(false);
  });

  it('uses placeholders only for keys the substitution map provides, and every key is used', () => {
    expect(placeholdersIn(text)).toEqual(Object.keys(map).sort());
    expect(() => substitute(text, { ...map, PrepareFunctionArn: undefined as never })).toThrow(
      /PrepareFunctionArn/,
    );
    expect(substitute(text, map)).not.toContain('${');
  });

  it('is written in JSONPath mode (aws-local-stepfunctions does not run JSONata)', () => {
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    for (const s of Object.values(states)) expect(s.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
  });

  it('names in ErrorEquals only States.* errors and errors defined in errors.ts', () => {
    const known = new Set<string>([
      ...FERRY_ERROR_NAMES,
      ...LAMBDA_SERVICE_ERRORS,
      ...CODEBUILD_TRANSIENT_ERRORS,
    ]);
    const used = Object.values(states).flatMap((s) =>
      [...(s.Retry ?? []), ...(s.Catch ?? [])].flatMap((r) => r.ErrorEquals),
    );
    const unknown = used.filter((name) => !name.startsWith('States.') && !known.has(name));
    expect(unknown).toEqual([]);
  });

  it('has a worker (core and handler) for every Task but the CodeBuild one, and a Task for every worker', () => {
    // A callback task invokes its worker through the lambda:invoke integration (FunctionName).
    const workerArn = (n: string) =>
      states[n]?.Resource === CALLBACK_RESOURCE
        ? states[n]?.Parameters?.FunctionName
        : states[n]?.Resource;
    const workerTasks = taskNames.filter((n) => workerArn(n)?.startsWith('arn:aws:lambda:'));
    expect(workerTasks.sort()).toEqual([...WORKER_STEPS].sort());
    for (const step of WORKER_STEPS) {
      expect(workerArn(step)).toBe(map[`${step}FunctionArn`]);
      const folder = fileURLToPath(
        new URL(`../services/workers/${workerFolder(step)}/`, import.meta.url),
      );
      expect(existsSync(`${folder}core.ts`), `${step} core`).toBe(true);
      expect(existsSync(`${folder}handler.ts`), `${step} handler`).toBe(true);
    }
    const others = taskNames.filter((n) => !workerTasks.includes(n));
    expect(others).toEqual(['Build']);
    expect(states.Build?.Resource).toBe('arn:aws:states:::codebuild:startBuild.sync');
  });

  it('retries TransientError and the Lambda service errors on every worker Task', () => {
    for (const step of WORKER_STEPS) {
      const retried = (states[step]?.Retry ?? []).flatMap((r) => r.ErrorEquals);
      for (const name of ['TransientError', ...LAMBDA_SERVICE_ERRORS])
        expect(retried, step).toContain(name);
      // States.ALL may only come last and alone (ASL rule), and only on idempotent recovery steps.
      const retryAll = (states[step]?.Retry ?? []).findIndex((r) =>
        r.ErrorEquals.includes('States.ALL'),
      );
      if (retryAll >= 0) {
        expect(['Rollback', 'Finalize']).toContain(step);
        expect(retryAll).toBe((states[step]?.Retry?.length ?? 0) - 1);
      }
    }
  });

  it('routes any error before UpdateFunction to FAILED and any error from it on through Rollback', () => {
    const before = ['Prepare', 'Build', 'ResolveImage', 'ScanImage', 'Promote'];
    for (const name of before) {
      const catchers = states[name]?.Catch ?? [];
      expect(catchers.at(-1)?.ErrorEquals, name).toEqual(['States.ALL']);
      for (const c of catchers) expect(['MarkFailed', 'MarkBuildFailed'], name).toContain(c.Next);
    }
    for (const name of [
      'UpdateFunction',
      'ProvisionConcurrency',
      'SmokeInvoke',
      'ShiftTraffic',
      'JudgeStep',
      'Activate',
    ]) {
      const catchers = states[name]?.Catch ?? [];
      expect(
        catchers.map((c) => [c.ErrorEquals, c.Next, c.ResultPath]),
        name,
      ).toEqual([[['States.ALL'], 'Rollback', '$.error']]);
    }
    expect(states.SmokePassed?.Default).toBe('Rollback');
    expect(states.Rollback?.Next).toBe('RollbackOutcome');
    expect(states.Rollback?.Catch?.[0]?.Next).toBe('MarkRollbackFailed');
    expect(states.RollbackOutcome?.Default).toBe('MarkRolledBack');
  });

  it('ends a gate failure after the smoke REJECTED, only once Rollback has restored $LATEST', () => {
    // The cold-start gate fails on a working version: SmokePassed sends it to Rollback (which
    // restores $LATEST exactly as after a failed smoke), and Rollback's outcome picks the mark.
    expect(states.RollbackOutcome?.Type).toBe('Choice');
    expect(states.RollbackOutcome?.Choices).toEqual([
      { Variable: '$.rollback.outcome', StringEquals: 'REJECTED', Next: 'MarkRejected' },
    ]);
    expect(predecessors('RollbackOutcome')).toEqual(['Rollback']);
    expect(predecessors('MarkRejected').sort()).toEqual(['RollbackOutcome', 'SizeGate']);
    expect(predecessors('MarkRolledBack')).toEqual(['RollbackOutcome']);
  });

  it('moves traffic only after a passing smoke invoke', () => {
    // The states that move the alias (ShiftTraffic: a weight; Activate: all of it) are reachable
    // only through SmokePassed's passed == true branch: removing that edge cuts them off.
    expect(states.SmokePassed?.Choices).toEqual([
      { Variable: '$.smoke.passed', BooleanEquals: true, Next: 'ReleaseMode' },
    ]);
    const reachableWithout = (cut: [string, string]) => {
      const seen = new Set<string>(['Prepare']);
      const queue = ['Prepare'];
      while (queue.length > 0) {
        const at = queue.shift() as string;
        for (const next of successors(at)) {
          if (at === cut[0] && next === cut[1]) continue;
          if (!seen.has(next)) {
            seen.add(next);
            queue.push(next);
          }
        }
      }
      return seen;
    };
    const cut = reachableWithout(['SmokePassed', 'ReleaseMode']);
    for (const mover of ['ShiftTraffic', 'Activate', 'AwaitApproval']) {
      expect(cut.has(mover), mover).toBe(false);
    }
    expect(predecessors('SmokeInvoke').sort()).toEqual(['NeedsProvisioning', 'ProvisioningReady']);
    expect(predecessors('MarkSucceeded')).toEqual(['Activated']);
    expect(predecessors('Activated')).toEqual(['Activate']);
  });

  it('waits with the callback pattern: every wait ends early by its token or at its timeout', () => {
    for (const name of ['Hold', 'AwaitApproval']) {
      const state = states[name];
      expect(state?.Resource, name).toBe(CALLBACK_RESOURCE);
      expect(state?.TimeoutSecondsPath, name).toBeDefined();
      expect(
        (state?.Parameters as { Payload?: Record<string, string> })?.Payload?.['taskToken.$'],
      ).toBe('$$.Task.Token');
    }
    // A step's hold timing out is the normal path: judge the step. The approval's: roll back.
    expect(states.Hold?.Catch?.[0]).toMatchObject({
      ErrorEquals: ['States.Timeout'],
      Next: 'JudgeStep',
    });
    expect(states.AwaitApproval?.Catch?.[0]).toMatchObject({
      ErrorEquals: ['States.Timeout'],
      Next: 'Rollback',
    });
    expect(states.HoldDecision?.Choices).toEqual([
      { Variable: '$.decision.action', StringEquals: 'abort', Next: 'Rollback' },
    ]);
    expect(states.ApprovalDecision?.Choices).toEqual([
      { Variable: '$.decision.action', StringEquals: 'approve', Next: 'Activate' },
    ]);
    expect(states.ApprovalDecision?.Default).toBe('Rollback');
  });

  it('reaches Finalize from every outcome and ends in Succeed only for SUCCEEDED', () => {
    for (const mark of [
      'MarkSucceeded',
      'MarkRejected',
      'MarkFailed',
      'MarkBuildFailed',
      'MarkRolledBack',
      'MarkRollbackFailed',
    ]) {
      expect(states[mark]?.Next, mark).toBe('Finalize');
    }
    expect(states.Outcome?.Choices).toEqual([
      { Variable: '$.final.outcome', StringEquals: 'SUCCEEDED', Next: 'Deployed' },
    ]);
    expect(states.Deployed?.Type).toBe('Succeed');
    expect(states.NotDeployed?.Type).toBe('Fail');
  });
});

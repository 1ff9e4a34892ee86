import { describe, expect, it } from 'vitest';
import {
  deploySubstitutions,
  exampleSubstitutionInputs,
  loadDeployDefinition,
} from '../statemachine/substitutions.ts';
import { recoveryPoint, unstartedPoint } from './recovery-plan.ts';

type State = { Type: string; Next?: string; Default?: string; Choices?: Array<{ Next: string }> };
const definition = loadDeployDefinition(deploySubstitutions(exampleSubstitutionInputs())) as {
  StartAt: string;
  States: Record<string, State>;
};

/** States reachable from `from` along Next/Choices/Default (no Catch), not going past `stop`. */
function reachable(from: string, stop: (name: string) => boolean): Set<string> {
  const seen = new Set<string>();
  const todo = [from];
  while (todo.length > 0) {
    const name = todo.pop() as string;
    if (seen.has(name) || stop(name)) continue;
    seen.add(name);
    const s = definition.States[name] as State;
    for (const next of [s.Next, s.Default, ...(s.Choices ?? []).map((c) => c.Next)])
      if (next) todo.push(next);
  }
  return seen;
}

const isEnding = (name: string) => /^(Rollback|Mark|Finalize)/.test(name);

describe('recoveryPoint', () => {
  it('ends FAILED every state before UpdateFunction, naming it', () => {
    const before = reachable(definition.StartAt, (n) => n === 'UpdateFunction' || isEnding(n));
    expect(before.size).toBeGreaterThan(5);
    for (const state of before) {
      const point = recoveryPoint({ state, input: { deploymentId: 'd-1' } });
      expect(point.startAt, state).toBe('MarkFailed');
      expect(point.input.error).toEqual({
        Error: 'FerryStopped',
        Cause: `Ferry stopped during ${state}; ended FAILED at restart`,
      });
    }
  });

  it('rolls back every state from UpdateFunction to Activated, naming it', () => {
    const changed = reachable('UpdateFunction', isEnding);
    expect([...changed]).toEqual(expect.arrayContaining(['SmokeInvoke', 'Hold', 'AwaitApproval']));
    for (const state of changed) {
      const point = recoveryPoint({ state, input: { deploymentId: 'd-1' } });
      expect(point.startAt, state).toBe('Rollback');
      expect(point.input.error).toEqual({
        Error: 'FerryStopped',
        Cause: `Ferry stopped during ${state}; rolled back at restart`,
      });
    }
  });

  it('runs Rollback, a Mark state or Finalize again with the state object as it was', () => {
    const input = { deploymentId: 'd-1', final: { outcome: 'ROLLED_BACK' } };
    expect(recoveryPoint({ state: 'RollbackOutcome', input })).toEqual({
      startAt: 'Rollback',
      input,
    });
    expect(recoveryPoint({ state: 'MarkRolledBack', input })).toEqual({
      startAt: 'MarkRolledBack',
      input,
    });
    expect(recoveryPoint({ state: 'Outcome', input })).toEqual({ startAt: 'Finalize', input });
  });

  it('names a state of the definition whatever the journal says', () => {
    for (const state of Object.keys(definition.States)) {
      expect(definition.States[recoveryPoint({ state, input: {} }).startAt], state).toBeDefined();
    }
  });
});

describe('unstartedPoint', () => {
  it('ends a PENDING record FAILED without starting it', () => {
    expect(unstartedPoint('d-1', 'PENDING')).toEqual({
      startAt: 'MarkFailed',
      input: {
        deploymentId: 'd-1',
        error: {
          Error: 'FerryStopped',
          Cause: 'Ferry stopped before the deployment started; ended FAILED at restart',
        },
      },
    });
  });
});

/**
 * The Workflow port as every implementation must behave: Step Functions (on moto) and local
 * mode's in-process runner. One execution per deployment, named after it; starting it again,
 * while it runs or after it ended, is success and starts nothing. An implementation that cannot
 * show a behaviour names it in `gaps`, with why, and that case is skipped for it.
 */
import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../services/core/ports.ts';

/** An execution as the implementation records it. */
export interface StartedExecution {
  readonly name: string;
  readonly input: unknown;
}

/** A fresh workflow (a state machine no other test uses) and a view of its executions. */
export interface WorkflowSubject {
  readonly workflow: Workflow;
  /** Every execution started so far, oldest first. */
  executions(): Promise<StartedExecution[]>;
  /** Ends the named execution (as a finished or stopped run does). */
  end(name: string): Promise<void>;
  /** The same adapter pointed at a workflow that does not exist. */
  missing?(): Workflow;
}

/** The cases an implementation may be unable to show. */
export type WorkflowGap = 'missing-workflow';

/** One implementation of the port under the contract. */
export interface WorkflowImplementation {
  readonly name: string;
  make(): Promise<WorkflowSubject>;
  readonly gaps?: Partial<Record<WorkflowGap, string>>;
}

/** Registers the contract for one implementation. */
export function describeWorkflowContract(implementation: WorkflowImplementation): void {
  const gaps = implementation.gaps ?? {};
  const unless = (gap: WorkflowGap) => (gaps[gap] ? it.skip : it);

  describe(`Workflow contract: ${implementation.name}`, () => {
    it('starts one execution named after the deployment, with its id as input', async () => {
      const { workflow, executions } = await implementation.make();
      await workflow.start('d-1');
      await expect(executions()).resolves.toEqual([
        { name: 'd-1', input: { deploymentId: 'd-1' } },
      ]);
    });

    it('a start while the execution runs is success and starts no second one', async () => {
      const { workflow, executions } = await implementation.make();
      await workflow.start('d-1');
      await workflow.start('d-1');
      await Promise.all([workflow.start('d-1'), workflow.start('d-1')]);
      await expect(executions()).resolves.toHaveLength(1);
    });

    it('a start after the execution ended is success and starts nothing', async () => {
      const { workflow, executions, end } = await implementation.make();
      await workflow.start('d-1');
      await end('d-1');
      await workflow.start('d-1');
      await expect(executions()).resolves.toHaveLength(1);
    });

    it('each deployment gets its own execution', async () => {
      const { workflow, executions } = await implementation.make();
      await workflow.start('d-1');
      await workflow.start('d-2');
      const names = (await executions()).map((e) => e.name);
      expect(names.sort()).toEqual(['d-1', 'd-2']);
    });

    unless('missing-workflow')(
      'a workflow that does not exist is a named error, never success',
      async () => {
        const subject = await implementation.make();
        const missing = subject.missing?.();
        if (!missing) throw new Error(`${implementation.name} gives no missing workflow`);
        await expect(missing.start('d-1')).rejects.toMatchObject({
          name: 'InvalidRequestError',
        });
      },
    );
  });
}

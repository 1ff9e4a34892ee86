/**
 * Where to pick up an execution a previous process left in flight: the last state its journal
 * holds decides. Nothing resumes forwards — a release Ferry did not watch to its end is not
 * released. Before UpdateFunction the function is untouched, so the deployment ends FAILED; from
 * UpdateFunction on it may be changed, so Rollback (idempotent) puts it back; once Rollback or a
 * Mark state was reached, the outcome was decided and that part runs again to record it.
 */
import { FERRY_STOPPED } from '../services/core/workflow.ts';
import type { JournalEntry } from './execution-journal.ts';
import type { StartPoint } from './workflow-runner.ts';

/** States up to Promote: nothing of the function has changed yet. */
const BEFORE_UPDATE: ReadonlySet<string> = new Set([
  'Prepare',
  'HasSource',
  'SelectBuildProject',
  'UseArm64Builder',
  'UseX86Builder',
  'Build',
  'ResolveImage',
  'ScanImage',
  'SizeGate',
  'Promote',
]);

/** States of the rollback itself: it runs again from its start. */
const ROLLING_BACK: ReadonlySet<string> = new Set(['Rollback', 'RollbackOutcome']);

/** The Pass states that choose the outcome: each runs again, then Finalize. */
const MARKS: ReadonlySet<string> = new Set([
  'MarkSucceeded',
  'MarkRejected',
  'MarkFailed',
  'MarkBuildFailed',
  'MarkRolledBack',
  'MarkRollbackFailed',
]);

/** Finalize and what follows it: the state object holds the outcome, so Finalize runs again. */
const FINALIZING: ReadonlySet<string> = new Set([
  'Finalize',
  'Outcome',
  'Deployed',
  'NotDeployed',
  'FinalizeFailed',
]);

/** The reason a deployment stopped at `state` ends with, by how it ends. */
export function stoppedReason(state: string, ending: 'failed' | 'rolled back'): string {
  return `Ferry stopped during ${state}; ${ending === 'failed' ? 'ended FAILED' : 'rolled back'} at restart`;
}

/** The state object with the stop as its caught error, as a Catch would have stored it. */
function withStop(input: Record<string, unknown>, reason: string): Record<string, unknown> {
  return { ...input, error: { Error: FERRY_STOPPED, Cause: reason } };
}

/** Where the journaled execution continues, and with what state object. */
export function recoveryPoint(entry: Pick<JournalEntry, 'state' | 'input'>): StartPoint {
  const { state, input } = entry;
  if (BEFORE_UPDATE.has(state)) {
    return { startAt: 'MarkFailed', input: withStop(input, stoppedReason(state, 'failed')) };
  }
  if (ROLLING_BACK.has(state)) return { startAt: 'Rollback', input };
  if (MARKS.has(state)) return { startAt: state, input };
  if (FINALIZING.has(state)) return { startAt: 'Finalize', input };
  // UpdateFunction and every state after it up to Activated: the function may be changed.
  return { startAt: 'Rollback', input: withStop(input, stoppedReason(state, 'rolled back')) };
}

/**
 * A PENDING record with no journal never entered Prepare (the journal is written before any Task
 * works): nothing changed but the lock the API took, so it ends FAILED. It is not started: a
 * request made before the stop should not change a function unattended at restart. A RUNNING
 * one without a journal (left by a Ferry that kept none) cannot be placed: it ends FAILED too,
 * and the reason asks for the function to be checked.
 */
export function unstartedPoint(deploymentId: string, status: 'PENDING' | 'RUNNING'): StartPoint {
  const reason =
    status === 'PENDING'
      ? 'Ferry stopped before the deployment started; ended FAILED at restart'
      : "Ferry stopped during a state it did not record; ended FAILED at restart: check the function's alias and $LATEST";
  return {
    startAt: 'MarkFailed',
    input: { deploymentId, error: { Error: FERRY_STOPPED, Cause: reason } },
  };
}

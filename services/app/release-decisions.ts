/**
 * Approving and aborting a gradual release: the one home of who may decide and when. The API,
 * the CLI (through the API) and Slack call these; the workflow's waits (ReleaseHolds) are ended
 * through WorkflowCallbacks, and the workflow itself moves the traffic or rolls back.
 */
import type { Deployment, DeploymentPatch } from '../core/deployment.ts';
import { ConflictError, isFerryError } from '../core/errors.ts';
import type { HoldDecision, ReleaseHold } from '../core/ports.ts';
import { PHASE_WORDS } from '../core/traffic-words.ts';
import type { Caller } from './caller.ts';
import type { AppDeps } from './deps.ts';
import { deploymentFor } from './reads.ts';

type Deps = Pick<AppDeps, 'store' | 'callbacks' | 'clock' | 'logger'>;

const notRunning = (d: Deployment) =>
  new ConflictError(
    d.status === 'PENDING'
      ? `deployment ${d.id} has not started yet (PENDING): try again once it is RUNNING`
      : `deployment ${d.id} has ended (${d.status}): there is nothing left to decide`,
    { kind: 'not-running', deploymentId: d.id },
  );

const aborted = (d: Deployment & { abort: { by: string; at: string } }) =>
  new ConflictError(
    `deployment ${d.id} was aborted by ${d.abort.by} at ${d.abort.at}: it is rolling back or has rolled back`,
    { kind: 'already-aborted', deploymentId: d.id },
  );

const hasAbort = (d: Deployment): d is Deployment & { abort: { by: string; at: string } } =>
  d.abort !== undefined;

/** What the deployment is doing instead of waiting for an approval, for the refusal's message. */
function phaseOf(d: Deployment): string {
  const t = d.traffic;
  if (!t) return 'it has not reached its release steps';
  // The record says so, but no wait is open: it is being set up or has just timed out.
  if (t.phase === 'awaiting-approval')
    return 'its approval wait is not open (starting, or timed out)';
  return `it is ${PHASE_WORDS[t.phase]} at step ${t.step + 1}/${t.steps.length}`;
}

/**
 * Writes `patch` conditional on RUNNING; a lost condition is answered from the record as it is
 * now (ended, aborted meanwhile), never as the store's bare ConflictError.
 */
async function writeWhileRunning(
  deps: Deps,
  id: string,
  patch: DeploymentPatch,
  classify: (now: Deployment) => Deployment,
): Promise<Deployment> {
  try {
    return await deps.store.update(id, patch, 'RUNNING');
  } catch (error) {
    if (!isFerryError(error, 'ConflictError')) throw error;
    const now = await deps.store.get(id);
    if (!now) throw error;
    return classify(now);
  }
}

/**
 * Aborts a RUNNING deployment: the workflow rolls it back (all traffic to the previous version)
 * and ends ROLLED_BACK. The abort is written on the record FIRST, then the current wait (a
 * traffic step's hold or the approval) is resumed with it: a hold that starts after the write
 * sees the abort and ends itself, one that started before is resumed here, so no wait outlives
 * an abort. Answers the deployment (the rollback follows asynchronously).
 *
 * A repeat abort, by anyone, answers the same deployment without error and keeps the first
 * abort's `by`/`at`; it resumes the wait again, so retrying an abort whose resume failed
 * (a TransientError) finishes it. An abort of an ended deployment that was aborted is a repeat
 * too; of any other ended (or not yet started) one, ConflictError `not-running`.
 */
export async function abortDeployment(deps: Deps, caller: Caller, id: string): Promise<Deployment> {
  const found = await deploymentFor(deps.store, caller, id);
  let deployment = found;
  if (!hasAbort(found)) {
    if (found.status !== 'RUNNING') throw notRunning(found);
    const abort = { by: caller.principal, at: deps.clock.now().toISOString() };
    deployment = await writeWhileRunning(deps, id, { abort }, (now) => {
      // Another abort won the race: this one is its repeat.
      if (hasAbort(now)) return now;
      throw notRunning(now);
    });
  }
  if (deployment.status === 'RUNNING') {
    const hold = await deps.store.getHold(id);
    // The first abort's author, also on a repeat: the rollback's reason names who decided.
    const by = deployment.abort?.by ?? caller.principal;
    if (hold) await resume(deps, id, hold, { action: 'abort', by });
  }
  return deployment;
}

/**
 * Approves the last step of a RUNNING deployment that waits for an approval: the workflow moves
 * all traffic to the new version. ConflictError `already-aborted`, `not-running`, or
 * `not-awaiting-approval` (no approval wait: not there yet, or it has timed out). The approval is
 * recorded before the wait is resumed, so the record names the approver by the time the release
 * ends; if the wait turns out to have ended meanwhile (timed out), the record is put back and the
 * caller told.
 *
 * A repeat approve answers the same deployment without error, keeping the first approver; while
 * the approval wait is still open it resumes it again, so retrying an approve whose resume failed
 * (a TransientError, the approval already recorded) finishes it.
 */
export async function approveDeployment(
  deps: Deps,
  caller: Caller,
  id: string,
): Promise<Deployment> {
  const found = await deploymentFor(deps.store, caller, id);
  if (hasAbort(found)) throw aborted(found);
  if (found.status !== 'RUNNING') {
    if (found.approval) return found;
    throw notRunning(found);
  }
  const hold = await deps.store.getHold(id);
  const open = hold?.kind === 'approval' ? hold : null;
  if (found.approval) {
    if (open) await resume(deps, id, open, { action: 'approve', by: found.approval.by });
    return found;
  }
  if (!open) {
    throw new ConflictError(
      `deployment ${id} is not waiting for an approval: ${phaseOf(found)} (ferry status ${id})`,
      { kind: 'not-awaiting-approval', deploymentId: id },
    );
  }
  const approval = { by: caller.principal, at: deps.clock.now().toISOString() };
  const approved = await writeWhileRunning(deps, id, { approval }, (now) => {
    if (hasAbort(now)) throw aborted(now);
    throw notRunning(now);
  });
  if (await resume(deps, id, open, { action: 'approve', by: caller.principal })) return approved;
  // The wait ended between our read and the resume (its timeout, or an abort): the approval did
  // not take effect, so the record must not claim it.
  const now = await deps.store.update(id, { approval: undefined });
  if (hasAbort(now)) throw aborted(now);
  throw new ConflictError(
    `deployment ${id}'s approval wait ended before this approval reached it (it timed out): ferry status ${id}`,
    { kind: 'not-awaiting-approval', deploymentId: id },
  );
}

/** Ends the workflow's wait with the decision; false when that wait had already ended. */
async function resume(
  deps: Deps,
  id: string,
  hold: ReleaseHold,
  decision: HoldDecision,
): Promise<boolean> {
  const resumed = await deps.callbacks.resume(hold.token, decision);
  deps.logger.info('release wait resumed', {
    deploymentId: id,
    action: decision.action,
    hold: hold.kind,
    resumed,
  });
  return resumed;
}

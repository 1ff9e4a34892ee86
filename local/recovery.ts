/**
 * Local mode's restart: ends every deployment a previous process left in flight before the API
 * takes requests. On AWS Step Functions carries an execution on; here the process was the
 * execution, so each one is brought to a consistent end by running the same definition from
 * the point recovery-plan.ts picks, with the journaled state object.
 */
import { describeError } from '../services/core/errors.ts';
import type { Logger } from '../services/core/logger.ts';
import type { DeploymentStore } from '../services/core/ports.ts';
import type { ExecutionJournal } from './execution-journal.ts';
import { recoveryPoint, unstartedPoint } from './recovery-plan.ts';
import type { ExecutionOutcome, LocalWorkflow, StartPoint } from './workflow-runner.ts';

/** What recovery works with: the journal, a fresh runner over the same parts, the store. */
export interface RecoveryDeps {
  readonly journal: ExecutionJournal;
  readonly workflow: LocalWorkflow;
  readonly store: DeploymentStore;
  readonly logger: Logger;
  /** Executions of this process (never touched). @default none */
  readonly running?: (deploymentId: string) => boolean;
}

/** One deployment recovery ended. */
export interface Recovered {
  readonly deploymentId: string;
  /** The journaled state, or null for a record that never started. */
  readonly state: string | null;
  readonly startAt: string;
  readonly outcome: ExecutionOutcome['status'];
}

/** Ends every execution left in flight and every unfinished record without one. */
export async function recoverStoppedExecutions(deps: RecoveryDeps): Promise<Recovered[]> {
  const running = deps.running ?? (() => false);
  const entries = (await deps.journal.list()).filter((e) => !running(e.deploymentId));
  const journaled = new Set(entries.map((e) => e.deploymentId));
  const plans = entries.map((e) => ({
    deploymentId: e.deploymentId,
    state: e.state as string | null,
    point: recoveryPoint(e),
  }));
  for (const { id, status } of await unfinishedRecords(deps.store)) {
    if (journaled.has(id) || running(id)) continue;
    plans.push({ deploymentId: id, state: null, point: unstartedPoint(id, status) });
  }
  // Different functions: independent, so at once; one deployment per function holds its lock.
  return Promise.all(
    plans.map(async ({ deploymentId, state, point }) => {
      const outcome = await resume(deploymentId, state, point, deps);
      return { deploymentId, state, startAt: point.startAt, outcome };
    }),
  );
}

async function resume(
  deploymentId: string,
  state: string | null,
  point: StartPoint,
  deps: RecoveryDeps,
): Promise<ExecutionOutcome['status']> {
  deps.logger.warn('ending a deployment Ferry stopped during', {
    deploymentId,
    state: state ?? 'before Prepare',
    from: point.startAt,
  });
  try {
    const outcome = await deps.workflow.run(deploymentId, { from: point });
    deps.logger.info('stopped deployment ended', {
      deploymentId,
      status: outcome.status,
      ...(outcome.error ? { error: outcome.error, cause: outcome.cause } : {}),
    });
    return outcome.status;
  } catch (error) {
    // Its journal stays: the next start tries again.
    deps.logger.error('stopped deployment not ended', { deploymentId, ...describeError(error) });
    return 'FAILED';
  }
}

/**
 * PENDING and RUNNING records in each registered function's whole history: one that never
 * started holds no lock, so any number of later deployments may have ended after it.
 */
async function unfinishedRecords(
  store: DeploymentStore,
): Promise<Array<{ id: string; status: 'PENDING' | 'RUNNING' }>> {
  const found: Array<{ id: string; status: 'PENDING' | 'RUNNING' }> = [];
  for (const fn of await store.listFunctions()) {
    let cursor: string | undefined;
    do {
      const page = await store.listByFunction(fn.name, {
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      for (const d of page.items) {
        if (d.status === 'PENDING' || d.status === 'RUNNING')
          found.push({ id: d.id, status: d.status });
      }
      cursor = page.cursor;
    } while (cursor);
  }
  return found;
}

/**
 * Follows one local execution's events: the states it entered and its retries (the outcome's
 * `path` and `retries`) and, given a journal, each entered state written to it before the next
 * Task does anything — so a process killed at any point leaves a journal no older than the last
 * side effect. Tests stop an execution as it enters a chosen state, as a kill there would.
 */
import type { StateMachine } from 'aws-local-stepfunctions';
import { describeError } from '../services/core/errors.ts';
import type { Logger } from '../services/core/logger.ts';
import type { ExecutionJournal } from './execution-journal.ts';

/** A running execution of the library. */
type Execution = ReturnType<StateMachine['run']>;

/** A promise that never settles: what a stopped execution's next Task waits on, like a dead process. */
const NEVER = new Promise<never>(() => undefined);

/** One execution's event follower. */
export class ExecutionTracker {
  readonly path: string[] = [];
  readonly retries: Record<string, number> = {};
  /** True once the execution entered `stopAt` (nothing after it runs or is journaled). */
  stopped = false;
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly deploymentId: string,
    private readonly journal: ExecutionJournal | undefined,
    private readonly logger: Logger,
    private readonly stopAt?: string,
  ) {}

  /** Reads the execution's events until it ends. */
  async follow(execution: Execution): Promise<void> {
    for await (const event of execution.eventLogs) {
      if (this.stopped) continue;
      if (event.type === 'StateEntered') {
        this.path.push(event.state.name);
        this.write(event.state.name, event.state.input);
        if (event.state.name === this.stopAt) {
          this.stopped = true;
          execution.abort();
        }
      }
      if (event.type === 'StateRetried')
        this.retries[event.state.name] = (this.retries[event.state.name] ?? 0) + 1;
    }
  }

  /**
   * Called by every Task before its work: the library dispatches a state's event and then runs
   * it, so waiting one turn lets `follow` see every event so far; then their writes must land.
   */
  async beforeTask(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    await this.writes;
    if (this.stopped) await NEVER;
  }

  /** After the execution ended: its journal goes, unless it is to be picked up at the next start. */
  async end(keep: boolean): Promise<void> {
    await this.writes;
    if (this.journal && !keep && !this.stopped) await this.journal.remove(this.deploymentId);
  }

  private write(state: string, input: unknown): void {
    const journal = this.journal;
    if (!journal) return;
    const entry = {
      deploymentId: this.deploymentId,
      state,
      input: (input ?? {}) as Record<string, unknown>,
      enteredAt: new Date().toISOString(),
    };
    // A journal that cannot be written costs the restart its recovery, not the deployment.
    this.writes = this.writes
      .then(() => journal.record(entry))
      .catch((error: unknown) =>
        this.logger.warn('execution journal not written', {
          deploymentId: this.deploymentId,
          state,
          ...describeError(error),
        }),
      );
  }
}

import { describeError } from '../services/core/errors.ts';
import type { Logger } from '../services/core/logger.ts';
import type { Workflow } from '../services/core/ports.ts';
import type { ExecutionOutcome, LocalWorkflow } from './workflow-runner.ts';

/**
 * The Workflow port in local mode: each start runs the real ASL in-process (`createLocalWorkflow`)
 * in the background, once per deployment id, like a Step Functions execution named after the
 * deployment: starting an id again, while it runs or after it ended, is a successful no-op.
 */
export class InProcessWorkflow implements Workflow {
  private readonly running = new Map<string, Promise<void>>();
  /** How each execution ended (undefined while running; absent for a crash, which is logged). */
  readonly outcomes = new Map<string, ExecutionOutcome>();
  private readonly started = new Set<string>();
  private readonly endListeners: Array<(deploymentId: string) => void> = [];

  constructor(
    private readonly workflow: LocalWorkflow,
    private readonly logger: Logger,
  ) {}

  async start(deploymentId: string): Promise<void> {
    if (this.started.has(deploymentId)) return;
    this.started.add(deploymentId);
    const run = this.workflow
      .run(deploymentId)
      .then((outcome) => {
        this.outcomes.set(deploymentId, outcome);
        // A FAILED execution is a deployment that did not succeed (rejected, rolled back…): the
        // record says why; the log line makes it visible without reading the store.
        const level = outcome.status === 'SUCCEEDED' ? 'info' : 'warn';
        this.logger[level]('execution ended', {
          deploymentId,
          status: outcome.status,
          ...(outcome.error ? { error: outcome.error, cause: outcome.cause } : {}),
        });
      })
      .catch((error: unknown) => {
        // The runner returns failures as outcomes; reaching here is a bug worth shouting about.
        this.logger.error('execution crashed', { deploymentId, ...describeError(error) });
      })
      .finally(() => {
        this.running.delete(deploymentId);
        for (const listener of this.endListeners) listener(deploymentId);
      });
    this.running.set(deploymentId, run);
  }

  /** Calls `listener` after each execution ends (its lock released), however it ended. */
  onEnded(listener: (deploymentId: string) => void): void {
    this.endListeners.push(listener);
  }

  /** Resolves when every execution started so far (and any they led to) has ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }
}

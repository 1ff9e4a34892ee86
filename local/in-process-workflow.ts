import { describeError } from '../services/core/errors.ts';
import type { Logger } from '../services/core/logger.ts';
import type { Workflow } from '../services/core/ports.ts';
import type { ExecutionOutcome, LocalWorkflow } from './workflow-runner.ts';

/**
 * The Workflow port in local mode: each start runs the real ASL in-process (in the background),
 * once per deployment id, like a Step Functions execution named after the deployment.
 */
export class InProcessWorkflow implements Workflow {
  private readonly running = new Map<string, Promise<ExecutionOutcome | undefined>>();
  readonly outcomes = new Map<string, ExecutionOutcome>();

  constructor(
    private readonly workflow: LocalWorkflow,
    private readonly logger: Logger,
  ) {}

  async start(deploymentId: string): Promise<void> {
    if (this.running.has(deploymentId) || this.outcomes.has(deploymentId)) return;
    const run = this.workflow
      .run(deploymentId)
      .then((outcome) => {
        this.outcomes.set(deploymentId, outcome);
        this.logger.info('execution ended', {
          deploymentId,
          status: outcome.status,
          outcome: outcome.error ?? 'SUCCEEDED',
        });
        return outcome;
      })
      .catch((error: unknown) => {
        // The runner returns failures as outcomes; reaching here is a bug worth shouting about.
        this.logger.error('execution crashed', { deploymentId, ...describeError(error) });
        return undefined;
      })
      .finally(() => this.running.delete(deploymentId));
    this.running.set(deploymentId, run);
  }

  /** Resolves when every execution started so far has ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }
}

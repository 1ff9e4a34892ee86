import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { HoldDecision, WorkflowCallbacks } from '../../core/ports.ts';
import { isAwsErrorNamed, toFerryError } from './aws-errors.ts';

/**
 * What Step Functions answers for a token whose task has already ended: it timed out
 * (TaskTimedOut), it was completed or its execution ended (TaskDoesNotExist), or the token names no
 * task Step Functions still knows (InvalidToken: tokens of long-ended executions read so).
 */
const TASK_ENDED = ['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'] as const;

/** WorkflowCallbacks on Step Functions: SendTaskSuccess with the decision as the task's output. */
export class SfnWorkflowCallbacks implements WorkflowCallbacks {
  constructor(private readonly client: SFNClient) {}

  async resume(token: string, decision: HoldDecision): Promise<boolean> {
    // Exactly the decision's fields: the ASL reads this output, and nothing else may ride along.
    const output = JSON.stringify({ action: decision.action, by: decision.by });
    try {
      await this.client.send(new SendTaskSuccessCommand({ taskToken: token, output }));
      return true;
    } catch (error) {
      if (TASK_ENDED.some((name) => isAwsErrorNamed(error, name))) return false;
      // The context leaves the token out: whoever holds it can end the task.
      throw toFerryError(error, `states:SendTaskSuccess ${decision.action} by ${decision.by}`);
    }
  }
}

/**
 * Local mode's WorkflowCallbacks: the in-process runner's callback tasks wait on a promise kept
 * here under their token, and `resume` settles it — what SendTaskSuccess does for a
 * `.waitForTaskToken` task on AWS. A wait that timed out or ended is gone: resuming it is false.
 */
import { randomUUID } from 'node:crypto';
import type { HoldDecision, WorkflowCallbacks } from '../services/core/ports.ts';

/** The error name Step Functions gives a task whose wait ran out (the ASL catches it). */
const TIMEOUT_ERROR = 'States.Timeout';

/** Callback waits in this process, by token. */
export class LocalWorkflowCallbacks implements WorkflowCallbacks {
  private readonly waiting = new Map<string, (decision: HoldDecision) => void>();

  /** A fresh token for one wait (each task gets its own, as on AWS). */
  newToken(label: string): string {
    return `local:${label}:${randomUUID()}`;
  }

  /**
   * Waits until `token` is resumed (its decision) or `timeoutSeconds` pass (an error named
   * States.Timeout). Call `ready` after registering: the task's worker runs inside it, so a
   * worker that resumes its own token finds it waiting.
   */
  async wait<T>(
    token: string,
    timeoutSeconds: number,
    ready: () => Promise<T>,
  ): Promise<HoldDecision> {
    let timer: NodeJS.Timeout | undefined;
    const decided = new Promise<HoldDecision>((resolve, reject) => {
      this.waiting.set(token, resolve);
      timer = setTimeout(() => {
        this.waiting.delete(token);
        const error = new Error(`the task did not get its callback within ${timeoutSeconds} s`);
        error.name = TIMEOUT_ERROR;
        reject(error);
      }, timeoutSeconds * 1000);
    });
    try {
      await ready();
      return await decided;
    } finally {
      clearTimeout(timer);
      this.waiting.delete(token);
    }
  }

  async resume(token: string, decision: HoldDecision): Promise<boolean> {
    const resolve = this.waiting.get(token);
    if (!resolve) return false;
    this.waiting.delete(token);
    resolve(decision);
    return true;
  }

  /** How many waits are open (tests: none may be left behind). */
  get open(): number {
    return this.waiting.size;
  }
}

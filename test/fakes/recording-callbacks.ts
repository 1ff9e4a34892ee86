import type { HoldDecision, WorkflowCallbacks } from '../../services/core/ports.ts';

/**
 * WorkflowCallbacks that records each resume; a token listed in `ended` answers false, as a
 * task that already ended (timed out, done) does.
 */
export class RecordingCallbacks implements WorkflowCallbacks {
  readonly resumed: { token: string; decision: HoldDecision }[] = [];
  readonly ended = new Set<string>();
  /** Thrown by the next resume (a Step Functions outage), then cleared. */
  failNext: Error | undefined;

  async resume(token: string, decision: HoldDecision): Promise<boolean> {
    const failure = this.failNext;
    if (failure) {
      this.failNext = undefined;
      throw failure;
    }
    if (this.ended.has(token)) return false;
    this.resumed.push({ token, decision: { ...decision } });
    // A task ends once: resuming it again is what Step Functions calls TaskTimedOut.
    this.ended.add(token);
    return true;
  }
}

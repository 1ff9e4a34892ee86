import type { RolloutQueue } from '../../services/core/ports.ts';
import {
  byQueueOrder,
  type QueuedRollout,
  type SettledOutcome,
} from '../../services/core/queued-rollout.ts';

/** In-memory RolloutQueue with the DynamoDB adapter's semantics (proved by the shared contract). */
export class MemoryRolloutQueue implements RolloutQueue {
  /** Every recorded rollout by `function event`, with its outcome once settled. */
  readonly recorded = new Map<string, { rollout: QueuedRollout; outcome?: SettledOutcome }>();

  async enqueue(rollout: QueuedRollout): Promise<boolean> {
    const id = keyOf(rollout.functionName, rollout.eventId);
    if (this.recorded.has(id)) return false;
    this.recorded.set(id, { rollout: structuredClone(rollout) });
    return true;
  }

  async pending(functionName?: string): Promise<QueuedRollout[]> {
    return [...this.recorded.values()]
      .filter((r) => r.outcome === undefined)
      .map((r) => structuredClone(r.rollout))
      .filter((r) => functionName === undefined || r.functionName === functionName)
      .sort(byQueueOrder);
  }

  async settle(functionName: string, eventId: string, outcome: SettledOutcome): Promise<void> {
    const entry = this.recorded.get(keyOf(functionName, eventId));
    if (entry && entry.outcome === undefined) entry.outcome = outcome;
  }
}

const keyOf = (functionName: string, eventId: string) => `${functionName} ${eventId}`;

/**
 * A registry push recorded for one function before it rolls out: the local registry's feed is
 * accepted once recorded and each function's rollouts start in order as that function comes free,
 * so one busy function never holds up another's (the registry's own queue is in order).
 */
import { z } from 'zod';

/** A queued rollout as stored: one per (function, registry event id). */
export const queuedRolloutSchema = z.object({
  functionName: z.string().min(1),
  /** The registry event's id: a redelivered event has the same one. */
  eventId: z.string().min(1),
  repository: z.string().min(1),
  tag: z.string().min(1),
  digest: z.string().min(1),
  /** `registry/repository@digest`: what the rollout deploys. */
  imageRef: z.string().min(1),
  /** ISO 8601: when the event was recorded. */
  queuedAt: z.string().min(1),
  /** The event's place in its notification: orders events recorded in the same millisecond. */
  position: z.number().int().min(0),
});

/** A queued rollout. */
export type QueuedRollout = z.output<typeof queuedRolloutSchema>;

/** How a queued rollout left the queue. */
export type SettledOutcome = 'started' | 'already-deployed' | 'already-live' | 'refused';

/** Queue order: recorded first, first out. */
export function byQueueOrder(a: QueuedRollout, b: QueuedRollout): number {
  return (
    a.queuedAt.localeCompare(b.queuedAt) ||
    a.position - b.position ||
    a.eventId.localeCompare(b.eventId)
  );
}

/**
 * The local registry's feed: a push is accepted once it is recorded in the rollout queue (one item
 * per function and event), and each function's queued rollouts start in order when that function
 * is free. The registry delivers its notifications in order and redelivers one until it is
 * accepted, so refusing a push for a busy function would hold up every other repository's.
 */
import { describeError } from '../core/errors.ts';
import type { DeploymentStore, RolloutQueue } from '../core/ports.ts';
import type { QueuedRollout } from '../core/queued-rollout.ts';
import type { Caller } from './caller.ts';
import type { AppDeps } from './deps.ts';
import { settingsFor } from './reads.ts';
import { type PushedImage, type RolloutResult, rollOutTo, rolloutTargetsOf } from './roll-out.ts';

/** One function's share of a push: recorded now, or already recorded by an earlier delivery. */
export interface QueuedPush {
  readonly functionName: string;
  readonly eventId: string;
  readonly recorded: 'new' | 'redelivery';
}

/** What a dispatch pass did with one queued rollout (`busy`: it stays queued). */
export interface DispatchedRollout extends RolloutResult {
  readonly eventId: string;
}

/** Records each push for every function its rule names; a redelivered event is recorded once. */
export async function queuePushes(
  deps: AppDeps,
  queue: RolloutQueue,
  images: readonly PushedImage[],
): Promise<QueuedPush[]> {
  const queuedAt = deps.clock.now().toISOString();
  const results: QueuedPush[] = [];
  for (const [position, image] of images.entries()) {
    const eventId = image.trigger.eventId ?? `${image.repository}@${image.digest}`;
    for (const functionName of await rolloutTargetsOf(deps, image)) {
      const fresh = await queue.enqueue({
        functionName,
        eventId,
        repository: image.repository,
        tag: image.tag ?? '',
        digest: image.digest,
        imageRef: image.imageRef,
        queuedAt,
        position,
      });
      results.push({ functionName, eventId, recorded: fresh ? 'new' : 'redelivery' });
    }
  }
  deps.logger.info('registry push queued', { results });
  return results;
}

/**
 * Starts queued rollouts: per function, the oldest first, until one finds the function busy (the
 * rest wait behind it, in order); every other function is dispatched all the same, and one that
 * fails is logged and retried on the next pass. Only `functionName`'s queue when given.
 */
export async function dispatchRollouts(
  deps: AppDeps,
  queue: RolloutQueue,
  functionName?: string,
): Promise<DispatchedRollout[]> {
  const byFunction = new Map<string, QueuedRollout[]>();
  for (const rollout of await queue.pending(functionName)) {
    byFunction.set(rollout.functionName, [
      ...(byFunction.get(rollout.functionName) ?? []),
      rollout,
    ]);
  }
  const results: DispatchedRollout[] = [];
  for (const [name, rollouts] of byFunction) {
    try {
      for (const rollout of rollouts) {
        const result = await rollOutTo(deps, imageOf(rollout), name);
        results.push({ ...result, eventId: rollout.eventId });
        if (result.outcome === 'busy') break;
        await queue.settle(name, rollout.eventId, result.outcome);
        deps.logger.info('queued rollout settled', { ...result, eventId: rollout.eventId });
      }
    } catch (error) {
      deps.logger.warn('queued rollout failed; retried on the next pass', {
        functionName: name,
        ...describeError(error),
      });
    }
  }
  return results;
}

/** One function's share of an accepted push: how it was recorded, and where it stands now. */
export interface AcceptedPush extends QueuedPush {
  /** `queued`: waiting for its function (busy, or behind earlier rollouts); `settled`: a redelivery of one already dealt with. */
  readonly outcome: Exclude<RolloutResult['outcome'], 'busy'> | 'queued' | 'settled';
  readonly deploymentId?: string;
}

/**
 * Records the pushes, then dispatches the functions they name at once (a free function rolls out
 * before the answer). The pushes are accepted once recorded: a dispatch that fails is logged and
 * left to the next pass of the dispatcher.
 */
export async function acceptPushes(
  deps: AppDeps,
  queue: RolloutQueue,
  images: readonly PushedImage[],
): Promise<AcceptedPush[]> {
  const queued = await queuePushes(deps, queue, images);
  const dispatched: DispatchedRollout[] = [];
  const waiting = new Set<string>();
  for (const name of new Set(queued.map((q) => q.functionName))) {
    try {
      dispatched.push(...(await dispatchRollouts(deps, queue, name)));
      for (const left of await queue.pending(name)) waiting.add(`${name} ${left.eventId}`);
    } catch (error) {
      deps.logger.warn('dispatch after a push failed; the dispatcher retries', {
        functionName: name,
        ...describeError(error),
      });
      for (const push of queued)
        if (push.functionName === name) waiting.add(`${name} ${push.eventId}`);
    }
  }
  return queued.map((push): AcceptedPush => {
    const done = dispatched.find(
      (d) => d.functionName === push.functionName && d.eventId === push.eventId,
    );
    if (done && done.outcome !== 'busy') {
      const { outcome, deploymentId } = done;
      return { ...push, outcome, ...(deploymentId ? { deploymentId } : {}) };
    }
    const key = `${push.functionName} ${push.eventId}`;
    return { ...push, outcome: waiting.has(key) ? 'queued' : 'settled' };
  });
}

/** A function's queued rollouts, oldest first, if the caller may see it (none without a queue). */
export async function queuedFor(
  store: Pick<DeploymentStore, 'getSettings'>,
  queue: RolloutQueue | undefined,
  caller: Caller,
  functionName: string,
): Promise<QueuedRollout[]> {
  await settingsFor(store, caller, functionName);
  return queue ? queue.pending(functionName) : [];
}

function imageOf(rollout: QueuedRollout): PushedImage {
  return {
    repository: rollout.repository,
    tag: rollout.tag,
    digest: rollout.digest,
    imageRef: rollout.imageRef,
    trigger: { kind: 'registry', eventId: rollout.eventId },
  };
}

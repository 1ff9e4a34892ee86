/**
 * Stand-ins for a person deciding while the workflow waits, doing what the approve and abort use
 * cases do: the decision written on the record first, then the wait resumed by its token.
 */
import type { World } from './world.ts';

/** Approves as soon as the approval wait records its token, as the approve use case would. */
export function approveWhenAsked(world: World, by: string) {
  const putHold = world.store.putHold.bind(world.store);
  world.store.putHold = async (hold) => {
    await putHold(hold);
    if (hold.kind !== 'approval') return;
    setTimeout(async () => {
      await world.store.update(hold.deploymentId, {
        approval: { by, at: world.clock.now().toISOString() },
      });
      await world.callbacks.resume(hold.token, { action: 'approve', by });
    }, 5);
  };
}

/** Aborts as soon as a step's hold records its token: abort written first, then the resume. */
export function abortWhenHeld(world: World, by: string) {
  const putHold = world.store.putHold.bind(world.store);
  world.store.putHold = async (hold) => {
    await putHold(hold);
    setTimeout(async () => {
      const d = await world.store.get(hold.deploymentId);
      if (d?.status !== 'RUNNING') return;
      await world.store.update(hold.deploymentId, {
        abort: { by, at: world.clock.now().toISOString() },
      });
      await world.callbacks.resume(hold.token, { action: 'abort', by });
    }, 5);
  };
}

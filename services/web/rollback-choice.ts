/**
 * What the function page offers to roll back to: the release the rollback use case would pick
 * (read only, through the same function), or the use case's reason why there is none. The form
 * names the release it showed, so a rollback does what its button said even if history moved on.
 */
import { rollbackTarget } from '../app/rollback.ts';
import type { Deployment } from '../core/deployment.ts';
import { isFerryError } from '../core/errors.ts';
import type { DeploymentStore } from '../core/ports.ts';

/** The previous release, or why there is none. */
export type RollbackChoice =
  | { readonly kind: 'target'; readonly target: Deployment }
  | { readonly kind: 'none'; readonly reason: string };

/** The rollback the page offers for `fn` (its caller already checked by the page's read). */
export async function rollbackChoice(store: DeploymentStore, fn: string): Promise<RollbackChoice> {
  try {
    return { kind: 'target', target: await rollbackTarget(store, fn) };
  } catch (error) {
    if (!isFerryError(error, 'ConflictError')) throw error;
    return { kind: 'none', reason: error.message };
  }
}

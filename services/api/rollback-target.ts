import type { Deployment } from '../core/deployment.ts';
import type { DeploymentStore } from '../core/ports.ts';
import { ApiProblem } from './problem.ts';

const PAGES = 10;

/**
 * The release a rollback deploys: the named `to` deployment (a SUCCEEDED deployment of this
 * function), else the newest SUCCEEDED release whose digest differs from the live one (the newest
 * SUCCEEDED). Throws a problem that says why when there is none.
 */
export async function rollbackTarget(
  store: DeploymentStore,
  fn: string,
  to?: string,
): Promise<Deployment> {
  if (to) {
    const named = await store.get(to);
    if (!named || named.functionName !== fn)
      throw new ApiProblem(404, 'not-found', `no deployment ${to} of ${fn}`);
    if (named.status !== 'SUCCEEDED' || !named.release?.imageUri) {
      throw new ApiProblem(
        409,
        'nothing-to-roll-back-to',
        `deployment ${to} ended ${named.status}; only a SUCCEEDED release can be rolled back to`,
      );
    }
    return named;
  }
  let live: string | undefined;
  let cursor: string | undefined;
  for (let page = 0; page < PAGES; page++) {
    const { items, cursor: next } = await store.listByFunction(fn, {
      limit: 50,
      ...(cursor ? { cursor } : {}),
    });
    for (const d of items) {
      if (d.status !== 'SUCCEEDED' || !d.release?.digest || !d.release.imageUri) continue;
      if (live === undefined) live = d.release.digest;
      else if (d.release.digest !== live) return d;
    }
    if (!next) break;
    cursor = next;
  }
  throw new ApiProblem(
    409,
    'nothing-to-roll-back-to',
    live
      ? `${fn} has no earlier successful release with another digest than the live one (${live})`
      : `${fn} has no successful Ferry release yet: nothing to roll back to`,
  );
}

import type { Deployment } from '../core/deployment.ts';
import { ConflictError, NotFoundError } from '../core/errors.ts';
import { parseImageRef, pinnedUri } from '../core/image-ref.ts';
import { liveOf } from '../core/live.ts';
import type { DeploymentStore } from '../core/ports.ts';
import type { Caller } from './caller.ts';
import { type Created, createDeployment } from './create-deployment.ts';
import type { AppDeps } from './deps.ts';
import { settingsFor } from './reads.ts';

// How far back a rollback looks: 10 pages of 50 deployments.
const PAGES = 10;
const PAGE_SIZE = 50;

type Released = Deployment & { release: { digest: string; imageUri: string } };

const isReleased = (d: Deployment): d is Released =>
  d.status === 'SUCCEEDED' && Boolean(d.release?.digest && d.release.imageUri);

/** A function's SUCCEEDED deployments with a recorded release, newest first. */
async function* releases(store: DeploymentStore, fn: string): AsyncGenerator<Released> {
  let cursor: string | undefined;
  for (let page = 0; page < PAGES; page++) {
    const { items, cursor: next } = await store.listByFunction(fn, {
      limit: PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    });
    for (const d of items) if (isReleased(d)) yield d;
    if (!next) return;
    cursor = next;
  }
}

const nothing = (detail: string) => new ConflictError(detail, { kind: 'nothing-to-roll-back-to' });

/**
 * Refuses a target whose image `ferry gc` removed, before anything changes: the workflow would
 * only fail at ResolveImage (Prepare's preflight stays the last line of defence for an image
 * removed by anything else).
 */
function requireImage(target: Released): Released {
  if (!target.imageCollectedAt) return target;
  if (target.imageArchived) {
    const repository = target.release.repository ?? 'REPOSITORY';
    throw new ConflictError(
      `the image of ${target.id} (${target.release.digest}) was archived by ferry gc at ${target.imageCollectedAt}: restore it first (aws ecr update-image-storage-class --repository-name ${repository} --image-id imageDigest=${target.release.digest} --target-storage-class STANDARD), then deploy it by digest`,
      { kind: 'image-collected', deploymentId: target.id },
    );
  }
  throw new ConflictError(
    `the image of ${target.id} (${target.release.digest}) was removed by ferry gc at ${target.imageCollectedAt}: it cannot be released again; roll back to a newer release or deploy the image anew`,
    { kind: 'image-collected', deploymentId: target.id },
  );
}

/**
 * The release a rollback deploys. Live = the function's live record. Without `to`: the newest
 * SUCCEEDED release whose digest differs from the live one. With `to`: that deployment, which must
 * be a SUCCEEDED release of this function (NotFoundError / ConflictError otherwise) and not the
 * live digest already.
 */
export async function rollbackTarget(
  store: DeploymentStore,
  fn: string,
  to?: string,
): Promise<Released> {
  if (to) {
    const named = await store.get(to);
    if (!named || named.functionName !== fn)
      throw new NotFoundError(`no deployment ${to} of ${fn}`);
    if (!isReleased(named))
      throw nothing(
        `deployment ${to} ended ${named.status}${named.status === 'SUCCEEDED' ? ' without a recorded image' : ''}; only a SUCCEEDED release can be rolled back to`,
      );
    const live = await liveOf(store, fn);
    if (live && live.digest === named.release.digest)
      throw nothing(`deployment ${to} released ${named.release.digest}, which is live already`);
    return requireImage(named);
  }
  const live = (await liveOf(store, fn))?.digest;
  if (live)
    for await (const d of releases(store, fn))
      if (d.release.digest !== live) return requireImage(d);
  throw nothing(
    live
      ? `${fn} has no earlier successful release with another digest than the live one (${live})`
      : `${fn} has no successful Ferry release yet: nothing to roll back to`,
  );
}

/**
 * Starts a rollback of `fn` (to `to`, else to the previous good digest) as a deployment with
 * trigger kind `rollback`. Who may roll back is checked before history is read: a stranger learns
 * nothing from a conflict. Shared by the API and the Slack command.
 */
export async function requestRollback(
  deps: AppDeps,
  caller: Caller,
  fn: string,
  options: { to?: string; reason?: string; beforeStart?: (id: string) => Promise<void> } = {},
): Promise<Created & { target: Released }> {
  await settingsFor(deps.store, caller, fn);
  const target = await rollbackTarget(deps.store, fn, options.to);
  const created = await createDeployment(
    deps,
    caller,
    {
      functionName: fn,
      // Pinned by digest: the tag the target was deployed from may point elsewhere now.
      image: pinnedUri(parseImageRef(target.release.imageUri), target.release.digest),
      reason: options.reason ?? `rollback to ${target.id}`,
    },
    { kind: 'rollback', actor: caller.principal },
    undefined,
    options.beforeStart,
  );
  return { ...created, target };
}

/**
 * What the deletion step must find still true before it removes a planned item. The plan is made
 * from a snapshot; between reading it and deleting, a person may tag an image, a deployment may
 * start and pin a digest, an alias may move. So each planned item names the function locks to
 * hold (Ferry's per-function deployment locks, taken by gc as their owner: while gc holds them no
 * deployment of those functions runs, and one that holds a lock makes gc skip the item) and the
 * facts to re-read while holding them. gc-confirm.ts checks those facts against a fresh snapshot.
 * After that re-read only what no lock covers can still change, for the length of one delete call:
 * Lambda itself refuses to delete a version an alias references (ResourceConflictException —
 * the adapter reports the version kept, not a failure), and a registry delete is unconditional,
 * so the adapter reads the image's tags again right before deleting that one digest.
 */
import type { FunctionSnapshot, GcSnapshot, RegistryImage } from './gc-snapshot.ts';

/** One fact to re-read under the locks; any that no longer holds keeps the item. */
export type RecheckFact =
  /**
   * The image has exactly these tags still. Removal is by digest and takes every tag with it
   * (ECR's BatchDeleteImage, the distribution API's manifest DELETE), so a tag added since — a
   * person's, a new release's — must stop it.
   */
  | {
      readonly fact: 'tags-unchanged';
      readonly repository: string;
      readonly digest: string;
      readonly tags: readonly string[];
    }
  /**
   * The function's newest deployment is still this one (null: it had none): nothing was created
   * since the snapshot that could have pinned or published what the plan removes.
   */
  | {
      readonly fact: 'no-deployment-since';
      readonly functionName: string;
      readonly newestDeploymentId: string | null;
    }
  /**
   * Planned again from the re-read state — `$LATEST`, versions, aliases with their weights,
   * provisioned concurrency, history — the item is still planned (Lambda's state may have been
   * changed by someone other than Ferry).
   */
  | { readonly fact: 'still-collectable' };

/** The locks to hold and the facts to re-read, in that order, before removing one item. */
export interface Recheck {
  readonly locks: readonly string[];
  readonly facts: readonly RecheckFact[];
}

/** The newest deployment's id in a function's history, null when it has none. */
export function newestDeploymentId(fn: FunctionSnapshot): string | null {
  let newest: { id: string; createdAt: string } | null = null;
  for (const d of fn.deployments) {
    if (
      !newest ||
      d.createdAt > newest.createdAt ||
      (d.createdAt === newest.createdAt && d.id > newest.id)
    ) {
      newest = d;
    }
  }
  return newest?.id ?? null;
}

const noDeploymentSince = (fn: FunctionSnapshot): RecheckFact => ({
  fact: 'no-deployment-since',
  functionName: fn.functionName,
  newestDeploymentId: newestDeploymentId(fn),
});

/** Every managed function's lock and newest deployment, read once per snapshot and shared. */
interface AllManaged {
  readonly locks: readonly string[];
  readonly facts: readonly RecheckFact[];
}

const allManagedOf = new WeakMap<GcSnapshot, AllManaged>();

function allManaged(snapshot: GcSnapshot): AllManaged {
  let all = allManagedOf.get(snapshot);
  if (!all) {
    const managed = snapshot.functions.filter((fn) => fn.managed);
    all = {
      locks: managed.map((fn) => fn.functionName).sort(),
      facts: managed.map(noDeploymentSince),
    };
    allManagedOf.set(snapshot, all);
  }
  return all;
}

/**
 * An image may be released to any managed function (a rollback, a pinned request), so its
 * removal holds every managed function's lock: deployments wait for the short deletion, and a
 * deployment already running makes gc leave the image for the next run. The functions' part is
 * the same for every image of one snapshot, so it is computed once (a plan over thousands of
 * images and hundreds of functions would otherwise walk every history once per image).
 */
export function imageRecheck(image: RegistryImage, snapshot: GcSnapshot): Recheck {
  const all = allManaged(snapshot);
  return {
    locks: all.locks,
    facts: [
      {
        fact: 'tags-unchanged',
        repository: image.repository,
        digest: image.digest,
        tags: image.tags,
      },
      ...all.facts,
      { fact: 'still-collectable' },
    ],
  };
}

/** A version belongs to one function: its lock, its history, its aliases and configurations. */
export function versionRecheck(fn: FunctionSnapshot): Recheck {
  return {
    locks: [fn.functionName],
    facts: [noDeploymentSince(fn), { fact: 'still-collectable' }],
  };
}

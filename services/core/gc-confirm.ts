/**
 * The deletion step's last look: given the plan and a snapshot re-read while holding the locks
 * the plan names (gc-recheck.ts), the items that may still be removed. Everything else is left
 * for the next run, with the reason.
 */
import { type CollectionPlan, planCollection } from './collection-plan.ts';
import { newestDeploymentId, type RecheckFact } from './gc-recheck.ts';
import type { GcSnapshot } from './gc-snapshot.ts';

/** What survives the re-check, and one line for each item it stopped. */
export interface ConfirmedCollection {
  readonly images: CollectionPlan['images'];
  readonly versions: CollectionPlan['versions'];
  readonly bytesReclaimed: number;
  readonly stopped: readonly string[];
}

const sameTags = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/** Checks every fact of every planned item against `fresh`, read under the named locks. */
export function confirmUnderLock(plan: CollectionPlan, fresh: GcSnapshot): ConfirmedCollection {
  const again = planCollection(fresh, plan.policy);
  const imageKey = (i: { repository: string; digest: string }) => `${i.repository}\n${i.digest}`;
  const versionKey = (v: { functionName: string; version: string }) =>
    `${v.functionName}\n${v.version}`;
  const imagesAgain = new Set(again.images.map(imageKey));
  const versionsAgain = new Set(again.versions.map(versionKey));
  const stopped: string[] = [];
  // Looked up once per item and fact: maps, so confirming thousands of images stays linear.
  const freshImages = new Map(fresh.images.map((i) => [imageKey(i), i]));
  const freshNewest = new Map(fresh.functions.map((f) => [f.functionName, newestDeploymentId(f)]));

  const failing = (facts: readonly RecheckFact[], stillPlanned: boolean): string | null => {
    for (const fact of facts) {
      if (fact.fact === 'tags-unchanged') {
        const now = freshImages.get(imageKey(fact));
        if (!now) return 'it is gone already';
        if (!sameTags(now.tags, fact.tags)) return `its tags changed to [${now.tags.join(', ')}]`;
      } else if (fact.fact === 'no-deployment-since') {
        const newest = freshNewest.get(fact.functionName) ?? null;
        if (newest !== fact.newestDeploymentId) {
          return `${fact.functionName} has deployment ${newest ?? '(none)'} since the plan`;
        }
      } else if (!stillPlanned) return 'the re-read state keeps it';
    }
    return null;
  };

  const images = plan.images.filter((image) => {
    const why = failing(image.recheck.facts, imagesAgain.has(imageKey(image)));
    if (why) stopped.push(`image ${image.repository}@${image.digest} kept: ${why}`);
    return !why;
  });
  const versions = plan.versions.filter((v) => {
    const why = failing(v.recheck.facts, versionsAgain.has(versionKey(v)));
    if (why) stopped.push(`version ${v.functionName}:${v.version} kept: ${why}`);
    return !why;
  });
  const bytesReclaimed = images.reduce((sum, image) => sum + image.sizeBytes, 0);
  return { images, versions, bytesReclaimed, stopped };
}

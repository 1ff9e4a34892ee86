/**
 * The collection plan: from a snapshot (gc-snapshot.ts) and a policy, which images and Lambda
 * versions `ferry gc` may remove, what that gives back, and what it keeps and why. Pure; the
 * rules for what a release can need are in in-use.ts, those for what is Ferry's to remove here:
 * - An image goes only if every tag on it is one Ferry writes (`ferry-release-<id>`,
 *   `ferry-candidate-<id>`, workflow.ts): removal is by digest and takes every tag, so one tag a
 *   person or another tool wrote keeps the image whatever else it carries.
 * - An untagged image goes only if a Ferry source build pushed it (a deployment record with a
 *   source names its digest): Finalize drops a rejected build's candidate tag, which leaves it
 *   untagged, and those are Ferry's litter. Any other untagged image — a multi-arch index's
 *   children, a tag a person moved away, another tool's push — is not provably Ferry's: kept.
 * - `ferry-buildcache` is Ferry's, but the next build reuses it: kept.
 * - Images pushed and versions published within the minimum age are kept (an hour at least: a
 *   deployment may have pushed or published before its record says so).
 * - A version goes only from a function Ferry manages, never `$LATEST`, and only if no alias
 *   (either side of its weighted routing) nor provisioned-concurrency configuration names it and
 *   it is not among the last K releases nor named by an unfinished deployment.
 */
import { z } from 'zod';
import { imageRecheck, type Recheck, versionRecheck } from './gc-recheck.ts';
import { digestOfCodeSha256, type GcSnapshot, imageAt, type RegistryImage } from './gc-snapshot.ts';
import {
  DEFAULT_ROLLBACK_DEPTH,
  digestReasons,
  type InUse,
  inUseSet,
  type KeepReason,
  tagReasons,
  versionReasons,
} from './in-use.ts';
import { candidateTag, releaseTag } from './workflow.ts';

/** The shortest minimum age: an image pushed moments ago may belong to a deployment this snapshot predates. */
export const MIN_AGE_FLOOR_SECONDS = 3600;

/** How `ferry gc` decides. */
export const gcPolicySchema = z.strictObject({
  /** Images pushed and versions published more recently are kept. @default - 7 days */
  minimumAgeSeconds: z
    .number()
    .int()
    .min(MIN_AGE_FLOOR_SECONDS)
    .default(7 * 24 * 3600),
  /** Distinct released digests kept per function, the live one included. @default 3 */
  rollbackDepth: z.number().int().min(1).max(100).default(DEFAULT_ROLLBACK_DEPTH),
  /** Per function: its own rollback depth (its settings' `rollbackDepth`). @default - none */
  functionRollbackDepths: z.record(z.string(), z.number().int().min(1).max(100)).default({}),
  /**
   * What happens to an image that goes: deleted, or moved to the registry's archive tier where
   * it has one (ECR's ARCHIVE storage class: kept, restorable, not pullable until restored).
   * @default 'delete'
   */
  imageRemoval: z.enum(['delete', 'archive']).default('delete'),
});

/** A gc policy, defaults applied. */
export type GcPolicy = z.output<typeof gcPolicySchema>;

/** An image the plan removes, by digest (with every tag on it). */
export interface PlannedImage extends RegistryImage {
  readonly recheck: Recheck;
}

/** A published version the plan removes. */
export interface PlannedVersion {
  readonly functionName: string;
  readonly version: string;
  readonly digest: string | null;
  readonly recheck: Recheck;
}

/** An image the plan keeps, and every reason it does. */
export interface KeptImage {
  readonly repository: string;
  readonly digest: string;
  readonly tags: readonly string[];
  readonly reasons: readonly KeepReason[];
}

/** A version of a managed function the plan keeps, and every reason it does. */
export interface KeptVersion {
  readonly functionName: string;
  readonly version: string;
  readonly reasons: readonly KeepReason[];
}

/** What `ferry gc` would do: plain data, for `--dry-run` as much as for the deletion step. */
export interface CollectionPlan {
  readonly takenAt: string;
  readonly policy: GcPolicy;
  readonly images: readonly PlannedImage[];
  readonly versions: readonly PlannedVersion[];
  /**
   * The planned images' compressed sizes, summed: at most what is freed, since a layer a kept
   * image shares stays (versions of image functions hold no code of their own).
   */
  readonly bytesReclaimed: number;
  readonly keptImages: readonly KeptImage[];
  readonly keptVersions: readonly KeptVersion[];
}

const FERRY_TAG_PREFIXES = [releaseTag(''), candidateTag('')];
const BUILD_CACHE_PREFIX = 'ferry-buildcache';

/** True for the tags Ferry writes on releases and candidates: the only tags gc removes. */
export function isFerryReleaseTag(tag: string): boolean {
  return FERRY_TAG_PREFIXES.some((prefix) => tag.startsWith(prefix) && tag.length > prefix.length);
}

const ageSeconds = (takenAt: string, at: string) => (Date.parse(takenAt) - Date.parse(at)) / 1000;

/** Digests a Ferry source build pushed, per repository: an untagged one of these is Ferry's. */
function ferryBuilt(snapshot: GcSnapshot): Set<string> {
  const built = new Set<string>();
  for (const fn of snapshot.functions) {
    if (!fn.managed) continue;
    for (const d of fn.deployments) {
      const repository = d.release?.repository ?? imageAt(d.release?.imageUri).repository;
      if (d.request.source && d.release?.digest && repository) {
        built.add(`${repository}\n${d.release.digest}`);
      }
    }
  }
  return built;
}

/** Every reason to keep `image`; empty when it may go. */
function imageReasons(
  image: RegistryImage,
  context: { inUse: InUse; built: Set<string>; snapshot: GcSnapshot; policy: GcPolicy },
): KeepReason[] {
  const { inUse, built, snapshot, policy } = context;
  const reasons: KeepReason[] = [...inUse.unresolved];
  const foreign = image.tags.filter((tag) => !isFerryReleaseTag(tag));
  if (foreign.some((tag) => tag.startsWith(BUILD_CACHE_PREFIX))) {
    reasons.push({ rule: 'build-cache', detail: 'the build cache: the next build reuses it' });
  }
  const others = foreign.filter((tag) => !tag.startsWith(BUILD_CACHE_PREFIX));
  if (others.length > 0) {
    reasons.push({ rule: 'foreign-tag', detail: `tagged ${others.join(', ')}, not by Ferry` });
  }
  if (image.tags.length === 0 && !built.has(`${image.repository}\n${image.digest}`)) {
    reasons.push({ rule: 'untagged', detail: 'untagged, and no Ferry build pushed it' });
  }
  reasons.push(...digestReasons(inUse, image.repository, image.digest));
  reasons.push(...tagReasons(inUse, image.tags));
  if (!(ageSeconds(snapshot.takenAt, image.pushedAt) >= policy.minimumAgeSeconds)) {
    reasons.push({ rule: 'too-young', detail: `pushed ${image.pushedAt}, within the minimum age` });
  }
  return reasons;
}

const byImage = (a: RegistryImage | KeptImage, b: RegistryImage | KeptImage) =>
  a.repository.localeCompare(b.repository) || a.digest.localeCompare(b.digest);
const byVersion = (
  a: { functionName: string; version: string },
  b: { functionName: string; version: string },
) => a.functionName.localeCompare(b.functionName) || Number(a.version) - Number(b.version);

/** Plans a collection of `snapshot` under `policy` (parse it with gcPolicySchema first). */
export function planCollection(snapshot: GcSnapshot, policy: GcPolicy): CollectionPlan {
  const inUse = inUseSet(
    snapshot.functions,
    (functionName) => policy.functionRollbackDepths[functionName] ?? policy.rollbackDepth,
  );
  const context = { inUse, built: ferryBuilt(snapshot), snapshot, policy };
  const images: PlannedImage[] = [];
  const keptImages: KeptImage[] = [];
  for (const image of snapshot.images) {
    const reasons = imageReasons(image, context);
    if (reasons.length > 0) {
      keptImages.push({
        repository: image.repository,
        digest: image.digest,
        tags: image.tags,
        reasons,
      });
    } else images.push({ ...image, recheck: imageRecheck(image, snapshot) });
  }
  const versions: PlannedVersion[] = [];
  const keptVersions: KeptVersion[] = [];
  for (const fn of snapshot.functions) {
    // Versions of functions Ferry does not manage are never Ferry's to remove.
    if (!fn.managed) continue;
    for (const v of fn.versions) {
      if (v.version === '$LATEST') continue;
      const reasons = versionReasons(inUse, fn.functionName, v.version);
      if (!(ageSeconds(snapshot.takenAt, v.lastModified) >= policy.minimumAgeSeconds)) {
        reasons.push({
          rule: 'too-young',
          functionName: fn.functionName,
          version: v.version,
          detail: `published ${v.lastModified}, within the minimum age`,
        });
      }
      const key = { functionName: fn.functionName, version: v.version };
      if (reasons.length > 0) keptVersions.push({ ...key, reasons });
      else {
        const digest = digestOfCodeSha256(v.codeSha256);
        versions.push({ ...key, digest, recheck: versionRecheck(fn) });
      }
    }
  }
  return {
    takenAt: snapshot.takenAt,
    policy,
    images: images.sort(byImage),
    versions: versions.sort(byVersion),
    bytesReclaimed: images.reduce((sum, image) => sum + image.sizeBytes, 0),
    keptImages: keptImages.sort(byImage),
    keptVersions: keptVersions.sort(byVersion),
  };
}

/**
 * What the deployment history adds to the in-use set (in-use.ts): the newest K released digests,
 * a failed rollback's both sides, and everything an unfinished deployment named or may still write.
 */
import type { Deployment } from './deployment.ts';
import { isTerminal } from './deployment.ts';
import type { FunctionSnapshot } from './gc-snapshot.ts';
import { imageAt } from './gc-snapshot.ts';
import { parseImageRef } from './image-ref.ts';
import type { KeepReason } from './in-use.ts';
import { candidateTag, releaseTag } from './workflow.ts';

/** How a rule keeps something for one function (the function's name is filled in). */
export interface Keepers {
  keepDigest(
    repository: string | null,
    digest: string | null,
    reason: Omit<KeepReason, 'functionName'>,
  ): void;
  keepVersion(version: string, reason: Omit<KeepReason, 'functionName' | 'version'>): void;
  tags: Map<string, KeepReason[]>;
}

/** Newest first: by creation time, then by id (ids sort by time too). */
function newestFirst(deployments: readonly Deployment[]): Deployment[] {
  return [...deployments].sort(
    (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
  );
}

type Release = {
  version: string | null;
  digest: string | null;
  imageUri: string | null;
  repository?: string;
};

/** Keeps a recorded release's digest (in its repository) and version. */
function keepRelease(
  release: Release | undefined,
  reason: Omit<KeepReason, 'functionName'>,
  k: Keepers,
): void {
  if (!release) return;
  if (release.digest) {
    k.keepDigest(
      release.repository ?? imageAt(release.imageUri).repository,
      release.digest,
      reason,
    );
  }
  if (release.version && release.version !== '$LATEST') k.keepVersion(release.version, reason);
}

/** What the history adds: the newest K released digests, unfinished deployments, a failed rollback. */
export function keepHistory(fn: FunctionSnapshot, depth: number, k: Keepers): void {
  const history = newestFirst(fn.deployments);
  const released = new Set<string>();
  for (const d of history) {
    if (d.status !== 'SUCCEEDED' || !d.release?.digest) continue;
    if (!released.has(d.release.digest) && released.size === depth) break;
    released.add(d.release.digest);
    const detail = `released by ${d.id}, ${released.size} of the last ${depth} releases`;
    keepRelease(d.release, { rule: 'recent-release', deploymentId: d.id, detail }, k);
  }
  for (const d of history) {
    if (d.status === 'SUCCEEDED') break;
    if (d.status !== 'ROLLBACK_FAILED') continue;
    const detail = `${d.id} failed to roll back and nothing has succeeded since`;
    keepRelease(d.previous, { rule: 'rollback-failed', deploymentId: d.id, detail }, k);
    keepRelease(d.release, { rule: 'rollback-failed', deploymentId: d.id, detail }, k);
  }
  for (const d of history) if (!isTerminal(d.status)) keepInFlight(fn, d, k);
}

/** Everything an unfinished deployment has named or may still write. */
function keepInFlight(fn: FunctionSnapshot, d: Deployment, k: Keepers): void {
  const reason = (what: string) => ({
    rule: 'in-flight' as const,
    functionName: fn.functionName,
    deploymentId: d.id,
    detail: `${d.status} deployment ${d.id} ${what}`,
  });
  keepRelease(d.release, reason('releases it'), k);
  keepRelease(d.previous, reason('may roll back to it'), k);
  const requested = requestedImage(d.request.image);
  if (requested.digest)
    k.keepDigest(requested.repository, requested.digest, reason('asked for it'));
  const named = [candidateTag(d.id), releaseTag(d.id), ...(requested.tag ? [requested.tag] : [])];
  for (const tag of named)
    k.tags.set(tag, [...(k.tags.get(tag) ?? []), reason(`may resolve or write tag ${tag}`)]);
}

/** The request's image: a digest it pins, or the tag it will resolve. */
function requestedImage(image: string | undefined): {
  repository: string | null;
  digest: string | null;
  tag?: string;
} {
  if (!image) return { repository: null, digest: null };
  try {
    const ref = parseImageRef(image);
    return {
      repository: ref.repository,
      digest: ref.digest ?? null,
      ...(ref.tag ? { tag: ref.tag } : {}),
    };
  } catch {
    return imageAt(image);
  }
}

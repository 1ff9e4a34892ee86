/**
 * Small builders for gc snapshots in example tests: images and digests are numbered, so a failing
 * test names `image 7`, not 64 hex digits.
 */

import { type CollectionPlan, gcPolicySchema } from '../../services/core/collection-plan.ts';
import type { Deployment } from '../../services/core/deployment.ts';
import type {
  FunctionSnapshot,
  GcSnapshot,
  RegistryImage,
  VersionSnapshot,
} from '../../services/core/gc-snapshot.ts';
import { aDeployment } from '../fakes/deployments.ts';

export const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
export const NOW = '2026-06-01T00:00:00.000Z';
/** Older than the default minimum age (7 days). */
export const OLD = '2026-05-01T00:00:00.000Z';
/** Within the default minimum age. */
export const RECENT = '2026-05-31T12:00:00.000Z';

export const hexOf = (n: number) => n.toString(16).padStart(64, '0');
export const digest = (n: number) => `sha256:${hexOf(n)}`;
export const uriOf = (n: number, repository = 'team/app') => `${HOST}/${repository}@${digest(n)}`;

/** The default policy: 7 days, rollback depth 3. */
export const defaults = gcPolicySchema.parse({});

export function image(
  n: number,
  tags: string[],
  extra: Partial<RegistryImage> = {},
): RegistryImage {
  return {
    repository: 'team/app',
    digest: digest(n),
    tags,
    pushedAt: OLD,
    sizeBytes: n * 100,
    ...extra,
  };
}

export function version(
  v: number,
  n: number,
  extra: Partial<VersionSnapshot> = {},
): VersionSnapshot {
  return {
    version: String(v),
    codeSha256: hexOf(n),
    repository: 'team/app',
    lastModified: OLD,
    ...extra,
  };
}

/** `orders`, managed, `$LATEST` at image 1 and nothing else, unless overridden. */
export function fnAt(extra: Partial<FunctionSnapshot> = {}): FunctionSnapshot {
  return {
    functionName: 'orders',
    managed: true,
    latest: { resolvedImageUri: uriOf(1), codeSha256: hexOf(1) },
    versions: [],
    aliases: [],
    provisionedQualifiers: [],
    deployments: [],
    ...extra,
  };
}

export function snapshot(
  functions: readonly FunctionSnapshot[],
  images: readonly RegistryImage[],
): GcSnapshot {
  return { takenAt: NOW, functions, images };
}

/** A deployment of `orders` that released image `n` as `version`. */
export function releaseOf(
  id: string,
  n: number,
  v: string | null,
  extra: Partial<Deployment> = {},
): Deployment {
  return aDeployment({
    id,
    status: 'SUCCEEDED',
    createdAt: OLD,
    request: { image: uriOf(n) },
    release: { version: v, digest: digest(n), imageUri: uriOf(n), repository: 'team/app' },
    ...extra,
  });
}

const numberOf = (d: string) => Number.parseInt(d.slice('sha256:'.length), 16);

/** The numbers of the images the plan removes. */
export const removedImages = (plan: CollectionPlan) => plan.images.map((i) => numberOf(i.digest));

/** The versions the plan removes, as `function:version`. */
export const removedVersions = (plan: CollectionPlan) =>
  plan.versions.map((v) => `${v.functionName}:${v.version}`);

/** The rules that keep image `n`, or null when it is planned. */
export function whyKept(plan: CollectionPlan, n: number, repository = 'team/app'): string[] | null {
  const kept = plan.keptImages.find((i) => i.digest === digest(n) && i.repository === repository);
  return kept ? [...new Set(kept.reasons.map((r) => r.rule))].sort() : null;
}

/** The rules that keep version `v` of `orders`, or null when it is planned. */
export function whyVersionKept(plan: CollectionPlan, v: string): string[] | null {
  const kept = plan.keptVersions.find((k) => k.version === v);
  return kept ? [...new Set(kept.reasons.map((r) => r.rule))].sort() : null;
}

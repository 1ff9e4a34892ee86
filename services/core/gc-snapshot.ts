/**
 * What `ferry gc` reads before it decides anything: each function's state as Lambda reports it,
 * its deployment history as the store holds it, and the registry's images. Read once; the plan
 * (collection-plan.ts) is a pure function of it.
 */
import type { Deployment } from './deployment.ts';
import { isDigest, parseImageRef } from './image-ref.ts';
import type { AliasRouting } from './ports.ts';

/** One version as ListVersionsByFunction reports it (which lists `$LATEST` too). */
export interface VersionSnapshot {
  /** A published version number, or `$LATEST`. */
  readonly version: string;
  /** Lambda's CodeSha256: for an image function, the hex of the image's manifest digest. */
  readonly codeSha256: string;
  /** The repository of the version's ResolvedImageUri, when read; null: unknown (kept everywhere). */
  readonly repository: string | null;
  /** ISO 8601: when the version was published (Lambda's LastModified). */
  readonly lastModified: string;
}

/** One alias as ListAliases reports it: its primary version and weighted additional version. */
export interface AliasSnapshot {
  readonly name: string;
  readonly routing: AliasRouting;
}

/** One function: its Lambda state and its Ferry history. */
export interface FunctionSnapshot {
  readonly functionName: string;
  /**
   * False for a function Ferry does not manage that was found using a repository Ferry collects
   * from: every digest it uses is kept, and its versions are never Ferry's to remove.
   */
  readonly managed: boolean;
  /** `$LATEST`: ResolvedImageUri (`repo@sha256:…`) and CodeSha256. */
  readonly latest: { readonly resolvedImageUri: string | null; readonly codeSha256: string };
  readonly versions: readonly VersionSnapshot[];
  readonly aliases: readonly AliasSnapshot[];
  /** Qualifiers (versions or alias names) with a provisioned-concurrency configuration, any status. */
  readonly provisionedQualifiers: readonly string[];
  /** The function's deployment records, the whole history (order does not matter). */
  readonly deployments: readonly Deployment[];
}

/** One image as the registry lists it (ECR's DescribeImages; the distribution API's tags and manifests). */
export interface RegistryImage {
  readonly repository: string;
  readonly digest: string;
  readonly tags: readonly string[];
  /** ISO 8601. */
  readonly pushedAt: string;
  /** Compressed size (ECR's imageSizeInBytes; the layers' sizes summed locally). */
  readonly sizeBytes: number;
}

/** Everything the plan is made from. */
export interface GcSnapshot {
  /** ISO 8601: when reading began (ages are measured from here). */
  readonly takenAt: string;
  readonly functions: readonly FunctionSnapshot[];
  readonly images: readonly RegistryImage[];
}

/** Where an image reference points: repository null when the reference does not name one Ferry can parse. */
export interface ImageAt {
  readonly repository: string | null;
  readonly digest: string | null;
}

const TRAILING_DIGEST = /sha256:[a-f0-9]{64}$/;
const HEX_DIGEST = /^[a-f0-9]{64}$/;

/** The image digest behind a CodeSha256 (bare hex for image functions), null when it is not one. */
export function digestOfCodeSha256(codeSha256: string): string | null {
  const lower = codeSha256.toLowerCase();
  if (HEX_DIGEST.test(lower)) return `sha256:${lower}`;
  return isDigest(lower) ? lower : null;
}

/**
 * Repository and digest of `repo@sha256:…`. Lenient on purpose: a reference whose repository
 * cannot be parsed still yields its digest, which is then kept in every repository.
 */
export function imageAt(uri: string | null | undefined): ImageAt {
  if (!uri) return { repository: null, digest: null };
  const digest = TRAILING_DIGEST.exec(uri)?.[0] ?? null;
  const at = uri.indexOf('@');
  try {
    return { repository: parseImageRef(at >= 0 ? uri.slice(0, at) : uri).repository, digest };
  } catch {
    return { repository: null, digest };
  }
}

import { InvalidRequestError } from './errors.ts';

/** A parsed image reference: `[registry/]repository[:tag][@sha256:<64 hex>]`. */
export interface ImageRef {
  /** Registry host (with port), when the reference names one: `123.dkr.ecr.eu-west-1.amazonaws.com`. */
  readonly registry?: string;
  /** Repository path inside the registry: `team/api`. */
  readonly repository: string;
  readonly tag?: string;
  /** `sha256:` followed by 64 lowercase hex digits. */
  readonly digest?: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
// Docker's grammar: lowercase path components separated by / with ., _, __ or - inside.
const REPOSITORY =
  /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
// Host names: dot-separated labels that start and end with a letter or digit, optional :port.
const REGISTRY_HOST =
  /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?$/;
const MAX_REF_LENGTH = 512;

/** True when `value` is a `sha256:` digest of 64 hex digits. */
export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

/** True when `value` is a valid image tag. */
export function isTag(value: string): boolean {
  return TAG.test(value);
}

/**
 * Parses an image reference. A first path component with a `.` or `:` or equal to
 * `localhost` is the registry host (Docker's rule). Throws InvalidRequestError naming what is wrong.
 */
export function parseImageRef(ref: string): ImageRef {
  if (ref.length === 0 || ref.length > MAX_REF_LENGTH) {
    throw new InvalidRequestError(`image reference must be 1-${MAX_REF_LENGTH} characters`);
  }
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest)) {
      throw new InvalidRequestError(
        `image reference "${ref}" has digest "${digest}"; expected sha256: followed by 64 lowercase hex digits`,
      );
    }
  }
  let registry: string | undefined;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
      if (!REGISTRY_HOST.test(registry)) {
        throw new InvalidRequestError(
          `image reference "${ref}" has an invalid registry host "${registry}"`,
        );
      }
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!isTag(tag)) {
      throw new InvalidRequestError(
        `image reference "${ref}" has tag "${tag}"; tags are [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`,
      );
    }
  }
  if (!REPOSITORY.test(rest) || rest.length > 255) {
    throw new InvalidRequestError(
      `image reference "${ref}" has repository "${rest}"; repositories are lowercase path components of [a-z0-9] joined by . _ __ -`,
    );
  }
  return {
    ...(registry ? { registry } : {}),
    repository: rest,
    ...(tag ? { tag } : {}),
    ...(digest ? { digest } : {}),
  };
}

/** Formats a reference back to text; the digest wins over the tag when `pinned` is set. */
export function formatImageRef(ref: ImageRef, options: { pinned?: boolean } = {}): string {
  const base = ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository;
  if (options.pinned && ref.digest) return `${base}@${ref.digest}`;
  return `${base}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The reference pinned to a digest: `registry/repository@sha256:…`. */
export function pinnedUri(ref: ImageRef, digest: string): string {
  return formatImageRef({ ...ref, tag: undefined, digest }, { pinned: true });
}

/**
 * Parses an image reference a person asked to deploy. `repo:tag@sha256:…` is refused: Ferry
 * deploys the digest, so the tag would be ignored silently even when it points elsewhere, and
 * nothing here can tell which of the two the person meant.
 */
export function parseRequestedImage(ref: string): ImageRef {
  const parsed = parseImageRef(ref);
  if (parsed.tag && parsed.digest) {
    throw new InvalidRequestError(
      `image reference "${ref}" names both tag ${parsed.tag} and digest ${parsed.digest}: give one (the digest to pin a release, the tag to release what it points at now)`,
      { field: 'image' },
    );
  }
  return parsed;
}

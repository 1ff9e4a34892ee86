/**
 * The in-use set: every image digest, tag and Lambda version that a release can still need, each
 * with the reasons it is kept. `ferry gc` removes only what is outside it (collection-plan.ts).
 *
 * Design. Clean-up that removes an image a live function still runs breaks that function at its
 * next cold start, long after the clean-up, so every rule here errs towards keeping:
 * - The source of truth is what Lambda reports, not Ferry's records: `$LATEST`, every published
 *   version (an image function's CodeSha256 is its image digest), every alias with both sides of
 *   its weighted routing, every provisioned-concurrency configuration. A function changed behind
 *   Ferry's back is still protected. Functions Ferry does not manage that use its repositories
 *   are read too, when the adapter can find them: their digests are kept, their versions ignored.
 * - The deployment history adds what Lambda no longer shows but a release may need: the newest K
 *   released digests (K = rollback depth; `ferry rollback` re-releases a digest, so the digest
 *   matters, and K counts distinct digests), and everything an unfinished deployment has named
 *   or may still name: its pinned request image, its resolved release, the release it replaces
 *   (its Rollback restores that), its candidate and release tags (pushed or promoted before the
 *   record says so, so kept by tag). After a ROLLBACK_FAILED that no success has followed, the
 *   digests on both sides are kept for the person putting things right.
 * - A digest whose repository is unknown (a version listed without its image URI) is kept in
 *   every repository. A function whose code digest cannot be read at all blocks every image
 *   removal: nothing can be proven unused without it.
 * - Images are compared by repository and digest, never by tag: a tag can move, a digest cannot.
 * - Every published version's digest is kept, even when the version itself may go: an image is
 *   removed only on a run after the last version that runs it is gone, never in the same pass.
 * What is Ferry's to remove at all (its own tags only, old enough) is collection-plan.ts's. The
 * set is a snapshot: what changes after it is read is the deletion step's to re-check under the
 * function locks (gc-recheck.ts names those facts, gc-confirm.ts checks them).
 */
import { digestOfCodeSha256, type FunctionSnapshot, imageAt } from './gc-snapshot.ts';
import { type Keepers, keepHistory } from './in-use-history.ts';

/** Why something is kept: what Lambda or the history says needs it, or a rule of the policy. */
export type KeepRule =
  | 'latest'
  | 'published-version'
  | 'alias'
  | 'provisioned-concurrency'
  | 'recent-release'
  | 'in-flight'
  | 'rollback-failed'
  | 'unmanaged-function'
  | 'foreign-tag'
  | 'build-cache'
  | 'untagged'
  | 'too-young'
  | 'unresolved-code';

/** One reason to keep an image or a version, as plain data with a line for people. */
export interface KeepReason {
  readonly rule: KeepRule;
  readonly functionName?: string;
  readonly version?: string;
  readonly deploymentId?: string;
  readonly detail: string;
}

/** The key for a digest whose repository is not known: it is kept in every repository. */
export const ANY_REPOSITORY = '*';

/** What must be kept, with why. Keys: repository → digest; tag; function → version. */
export interface InUse {
  readonly digests: ReadonlyMap<string, ReadonlyMap<string, readonly KeepReason[]>>;
  /** Tags an unfinished deployment may still resolve or write, in any repository. */
  readonly tags: ReadonlyMap<string, readonly KeepReason[]>;
  readonly versions: ReadonlyMap<string, ReadonlyMap<string, readonly KeepReason[]>>;
  /** Code Ferry could not read a digest from: while any is listed, no image may be removed. */
  readonly unresolved: readonly KeepReason[];
}

/** The rollback depth when none is configured: the live release and two before it. */
export const DEFAULT_ROLLBACK_DEPTH = 3;

type Nested = Map<string, Map<string, KeepReason[]>>;

function add(into: Nested, outer: string, inner: string, reason: KeepReason): void {
  const byInner = into.get(outer) ?? new Map<string, KeepReason[]>();
  into.set(outer, byInner);
  byInner.set(inner, [...(byInner.get(inner) ?? []), reason]);
}

/**
 * Computes the in-use set of `functions`, keeping the newest `rollbackDepth` released digests
 * (one depth for all, or each function's).
 */
export function inUseSet(
  functions: readonly FunctionSnapshot[],
  rollbackDepth: number | ((functionName: string) => number),
): InUse {
  const depthOf = (name: string) =>
    typeof rollbackDepth === 'number' ? rollbackDepth : rollbackDepth(name);
  const digests: Nested = new Map();
  const versions: Nested = new Map();
  const tags = new Map<string, KeepReason[]>();
  const unresolved: KeepReason[] = [];
  for (const fn of functions) {
    const ruleFor = (rule: KeepRule): KeepRule => (fn.managed ? rule : 'unmanaged-function');
    const keepDigest = (
      repository: string | null,
      digest: string | null,
      reason: Omit<KeepReason, 'functionName'>,
    ) => {
      const full = { ...reason, rule: ruleFor(reason.rule), functionName: fn.functionName };
      if (digest) add(digests, repository ?? ANY_REPOSITORY, digest, full);
      else unresolved.push({ ...full, rule: 'unresolved-code' });
    };
    const codeOf = new Map(fn.versions.map((v) => [v.version, v]));
    const keepVersion = (version: string, reason: Omit<KeepReason, 'functionName' | 'version'>) => {
      if (fn.managed)
        add(versions, fn.functionName, version, {
          ...reason,
          functionName: fn.functionName,
          version,
        });
      const code = codeOf.get(version);
      if (code)
        keepDigest(code.repository, digestOfCodeSha256(code.codeSha256), { ...reason, version });
    };

    const keepers: Keepers = { keepDigest, keepVersion, tags };
    keepLambda(fn, keepers);
    keepHistory(fn, depthOf(fn.functionName), keepers);
  }
  return { digests, tags, versions, unresolved };
}

/** What Lambda says the function runs or may run: `$LATEST`, versions, aliases, provisioned concurrency. */
function keepLambda(fn: FunctionSnapshot, k: Keepers): void {
  const { keepDigest, keepVersion } = k;
  const latest = imageAt(fn.latest.resolvedImageUri);
  keepDigest(latest.repository, latest.digest ?? digestOfCodeSha256(fn.latest.codeSha256), {
    rule: 'latest',
    version: '$LATEST',
    detail: `$LATEST of ${fn.functionName}`,
  });
  for (const v of fn.versions) {
    keepDigest(v.repository, digestOfCodeSha256(v.codeSha256), {
      rule: v.version === '$LATEST' ? 'latest' : 'published-version',
      version: v.version,
      detail: `version ${v.version} of ${fn.functionName} is published`,
    });
  }
  const aliasVersions = new Map<string, string[]>();
  for (const { name, routing } of fn.aliases) {
    const detail = `alias ${fn.functionName}:${name}`;
    keepVersion(routing.version, { rule: 'alias', detail: `${detail} routes to it` });
    const onAlias = [routing.version];
    if (routing.additional) {
      const share = Math.round(routing.additional.weight * 1000) / 10;
      keepVersion(routing.additional.version, {
        rule: 'alias',
        detail: `${detail} sends it ${share}% (weighted routing)`,
      });
      onAlias.push(routing.additional.version);
    }
    aliasVersions.set(name, onAlias);
  }
  for (const qualifier of fn.provisionedQualifiers) {
    const detail = `provisioned concurrency on ${fn.functionName}:${qualifier}`;
    for (const version of aliasVersions.get(qualifier) ?? [qualifier]) {
      keepVersion(version, { rule: 'provisioned-concurrency', detail });
    }
  }
}

/** Why `digest` in `repository` is kept (its own reasons and those of its digest anywhere); empty: not in use. */
export function digestReasons(inUse: InUse, repository: string, digest: string): KeepReason[] {
  return [
    ...(inUse.digests.get(repository)?.get(digest) ?? []),
    ...(inUse.digests.get(ANY_REPOSITORY)?.get(digest) ?? []),
  ];
}

/** Why a version of a managed function is kept; empty: nothing needs it. */
export function versionReasons(inUse: InUse, functionName: string, version: string): KeepReason[] {
  return [...(inUse.versions.get(functionName)?.get(version) ?? [])];
}

/** Why an image with `tags` is kept for the tags an unfinished deployment names; empty: none. */
export function tagReasons(inUse: InUse, tags: readonly string[]): KeepReason[] {
  return tags.flatMap((tag) => inUse.tags.get(tag) ?? []);
}

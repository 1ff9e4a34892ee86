import { describe, expect, it } from 'vitest';
import { aDeployment } from '../../test/fakes/deployments.ts';
import { digest, fnAt, hexOf, releaseOf, uriOf, version } from '../../test/support/gc-fixtures.ts';
import { digestOfCodeSha256, imageAt } from './gc-snapshot.ts';
import { ANY_REPOSITORY, digestReasons, inUseSet, tagReasons } from './in-use.ts';

describe('In-use set', () => {
  it('keys digests by repository, with a line per reason', () => {
    // Prepare: $LATEST and version 1 in team/app; version 2 listed without its image URI.
    const fn = fnAt({
      versions: [version(1, 1), version(2, 2, { repository: null })],
      aliases: [{ name: 'live', routing: { version: '1', additional: null } }],
    });
    // Act
    const inUse = inUseSet([fn], 3);
    // Assess
    expect([...inUse.digests.keys()].sort()).toEqual([ANY_REPOSITORY, 'team/app']);
    expect(digestReasons(inUse, 'team/app', digest(1)).map((r) => r.detail)).toEqual([
      '$LATEST of orders',
      'version 1 of orders is published',
      'alias orders:live routes to it',
    ]);
    expect(digestReasons(inUse, 'team/web', digest(2)).map((r) => r.rule)).toEqual([
      'published-version',
    ]);
    expect(inUse.unresolved).toEqual([]);
  });

  it('keeps by tag what an unfinished deployment may still resolve or write', () => {
    const pending = aDeployment({ id: 'd-5', request: { image: 'team/app:ferry-release-d-1' } });
    const inUse = inUseSet([fnAt({ deployments: [pending] })], 3);
    expect(tagReasons(inUse, ['ferry-candidate-d-5']).map((r) => r.rule)).toEqual(['in-flight']);
    expect(tagReasons(inUse, ['ferry-release-d-5'])).toHaveLength(1);
    expect(tagReasons(inUse, ['ferry-release-d-1']), 'the tag it asked for').toHaveLength(1);
    expect(tagReasons(inUse, ['ferry-release-d-4'])).toEqual([]);
  });

  it('takes a release’s repository from its image URI when the record does not name it', () => {
    const old = releaseOf('d-1', 7, '1');
    const { repository: _, ...release } = old.release ?? {
      version: null,
      digest: null,
      imageUri: null,
    };
    const inUse = inUseSet([fnAt({ deployments: [{ ...old, release }] })], 3);
    expect(digestReasons(inUse, 'team/app', digest(7)).map((r) => r.rule)).toEqual([
      'recent-release',
    ]);
  });
});

describe('Snapshot readings', () => {
  it('reads a CodeSha256 as the image digest, and nothing else as one', () => {
    expect(digestOfCodeSha256(hexOf(7))).toBe(digest(7));
    expect(digestOfCodeSha256(hexOf(7).toUpperCase())).toBe(digest(7));
    expect(digestOfCodeSha256(digest(7))).toBe(digest(7));
    expect(digestOfCodeSha256('ZGVhZGJlZWY=')).toBeNull();
  });

  it('reads repository and digest of an image URI, keeping the digest when the repository is odd', () => {
    expect(imageAt(uriOf(7))).toEqual({ repository: 'team/app', digest: digest(7) });
    // moto answers ResolvedImageUri as `…@sha256@sha256:<hex>`.
    expect(imageAt(`team/app@sha256@${digest(7)}`)).toEqual({
      repository: 'team/app',
      digest: digest(7),
    });
    expect(imageAt(`Not A Repo@${digest(7)}`)).toEqual({ repository: null, digest: digest(7) });
    expect(imageAt(null)).toEqual({ repository: null, digest: null });
  });
});

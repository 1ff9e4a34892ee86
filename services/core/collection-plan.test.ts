import { describe, expect, it } from 'vitest';
import { aDeployment } from '../../test/fakes/deployments.ts';
import {
  defaults,
  digest,
  fnAt,
  hexOf,
  image,
  OLD,
  RECENT,
  releaseOf,
  removedImages,
  removedVersions,
  snapshot,
  uriOf,
  version,
  whyKept,
  whyVersionKept,
} from '../../test/support/gc-fixtures.ts';
import { gcPolicySchema, isFerryReleaseTag, planCollection } from './collection-plan.ts';

describe('Collection plan: which images are Ferry’s to remove', () => {
  it('removes an old image that carries only Ferry tags and that nothing uses, and counts its bytes', () => {
    // Prepare
    const s = snapshot(
      [fnAt()],
      [image(1, ['base']), image(7, ['ferry-release-d-7', 'ferry-candidate-d-7'])],
    );
    // Act
    const plan = planCollection(s, defaults);
    // Assess
    expect(removedImages(plan), 'image 7 is Ferry’s, old and unused').toEqual([7]);
    expect(plan.bytesReclaimed).toBe(700);
  });

  it('never removes an image that carries a tag Ferry did not write, whatever else it carries', () => {
    const s = snapshot([fnAt()], [image(7, ['ferry-release-d-7', 'prod']), image(8, ['v1.2'])]);
    const plan = planCollection(s, defaults);
    expect(removedImages(plan)).toEqual([]);
    expect(whyKept(plan, 7), 'a person tagged image 7 prod').toEqual(['foreign-tag']);
    expect(whyKept(plan, 8)).toEqual(['foreign-tag']);
  });

  it('keeps the build cache: the next build reuses it', () => {
    const plan = planCollection(snapshot([fnAt()], [image(7, ['ferry-buildcache'])]), defaults);
    expect(whyKept(plan, 7)).toEqual(['build-cache']);
  });

  it('treats a bare prefix as not Ferry’s tag', () => {
    expect(isFerryReleaseTag('ferry-release-d-1')).toBe(true);
    expect(isFerryReleaseTag('ferry-candidate-d-1')).toBe(true);
    expect(isFerryReleaseTag('ferry-release-')).toBe(false);
    expect(isFerryReleaseTag('my-ferry-release-d-1')).toBe(false);
  });

  it('removes an untagged image only when a Ferry build pushed it', () => {
    // Image 7: a rejected source build (Finalize dropped its candidate tag). Image 8: untagged, origin unknown.
    const built = releaseOf('d-7', 7, null, {
      status: 'REJECTED',
      request: { source: { url: 'https://git.example.com/app.git' } },
    });
    const s = snapshot([fnAt({ deployments: [built] })], [image(7, []), image(8, [])]);
    const plan = planCollection(s, defaults);
    expect(removedImages(plan), 'only the untagged image Ferry built').toEqual([7]);
    expect(whyKept(plan, 8)).toEqual(['untagged']);
  });

  it('keeps an image pushed within the minimum age', () => {
    const plan = planCollection(
      snapshot([fnAt()], [image(7, ['ferry-release-d-7'], { pushedAt: RECENT })]),
      defaults,
    );
    expect(whyKept(plan, 7)).toEqual(['too-young']);
  });
});

describe('Collection plan: what Lambda uses is kept', () => {
  it("keeps $LATEST's digest and never plans $LATEST itself", () => {
    const fn = fnAt({
      latest: { resolvedImageUri: uriOf(7), codeSha256: hexOf(7) },
      versions: [version(0, 7, { version: '$LATEST' })],
    });
    const plan = planCollection(snapshot([fn], [image(7, ['ferry-release-d-7'])]), defaults);
    expect(whyKept(plan, 7)).toEqual(['latest']);
    expect(removedVersions(plan), '$LATEST is never a version to remove').toEqual([]);
  });

  it('keeps every published version’s digest, so a version goes one run before its image', () => {
    const fn = fnAt({ versions: [version(1, 7)] });
    const plan = planCollection(snapshot([fn], [image(7, ['ferry-release-d-7'])]), defaults);
    expect(removedVersions(plan)).toEqual(['orders:1']);
    expect(whyKept(plan, 7)).toEqual(['published-version']);
  });

  it('keeps both versions of a weighted alias, naming the weight', () => {
    const fn = fnAt({
      versions: [version(1, 7), version(2, 8), version(3, 9)],
      aliases: [
        { name: 'live', routing: { version: '1', additional: { version: '2', weight: 0.1 } } },
      ],
    });
    const plan = planCollection(snapshot([fn], []), defaults);
    expect(removedVersions(plan), 'only the version no alias routes to').toEqual(['orders:3']);
    expect(whyVersionKept(plan, '1')).toEqual(['alias']);
    const weighted = plan.keptVersions.find((k) => k.version === '2');
    expect(weighted?.reasons.map((r) => r.detail)).toEqual([
      'alias orders:live sends it 10% (weighted routing)',
    ]);
  });

  it('keeps a version with provisioned concurrency, on the version or on an alias', () => {
    const fn = fnAt({
      versions: [version(1, 7), version(2, 8), version(3, 9)],
      aliases: [{ name: 'beta', routing: { version: '2', additional: null } }],
      provisionedQualifiers: ['1', 'beta'],
    });
    const plan = planCollection(snapshot([fn], []), defaults);
    expect(removedVersions(plan)).toEqual(['orders:3']);
    expect(whyVersionKept(plan, '1')).toEqual(['provisioned-concurrency']);
    expect(whyVersionKept(plan, '2')).toEqual(['alias', 'provisioned-concurrency']);
  });

  it('keeps a version published within the minimum age', () => {
    const plan = planCollection(
      snapshot([fnAt({ versions: [version(1, 7, { lastModified: RECENT })] })], []),
      defaults,
    );
    expect(whyVersionKept(plan, '1')).toEqual(['too-young']);
  });

  it('keeps what a function Ferry does not manage uses, and never plans its versions', () => {
    const other = fnAt({
      functionName: 'legacy',
      managed: false,
      latest: { resolvedImageUri: uriOf(7), codeSha256: hexOf(7) },
      versions: [version(1, 8)],
    });
    const plan = planCollection(
      snapshot([fnAt(), other], [image(7, ['ferry-release-d-7'])]),
      defaults,
    );
    expect(whyKept(plan, 7)).toEqual(['unmanaged-function']);
    expect(removedVersions(plan)).toEqual([]);
  });

  it('keeps a digest whose repository is unknown in every repository, and a known one only in its own', () => {
    const fn = fnAt({
      versions: [version(1, 7, { repository: null }), version(2, 8, { repository: 'team/web' })],
    });
    const images = [
      image(7, ['ferry-release-d-1'], { repository: 'team/web' }),
      image(8, ['ferry-release-d-2']),
    ];
    const plan = planCollection(snapshot([fn], images), defaults);
    expect(whyKept(plan, 7, 'team/web'), 'repository unknown: kept anywhere').toEqual([
      'published-version',
    ]);
    expect(removedImages(plan), 'image 8 in team/app is not the one version 2 runs').toEqual([8]);
  });

  it('removes no image while a function’s code digest cannot be read', () => {
    const fn = fnAt({ versions: [version(1, 7, { codeSha256: 'not-a-digest' })] });
    const plan = planCollection(snapshot([fn], [image(9, ['ferry-release-d-9'])]), defaults);
    expect(removedImages(plan)).toEqual([]);
    expect(whyKept(plan, 9)).toEqual(['unresolved-code']);
  });
});

describe('Collection plan: what the history needs is kept', () => {
  it('keeps the last K distinct released digests and their versions; a redeploy does not use up the depth', () => {
    const at = (day: number) => `2026-04-${String(day).padStart(2, '0')}T00:00:00.000Z`;
    const history = [
      releaseOf('d-1', 11, '1', { createdAt: at(1) }),
      releaseOf('d-2', 12, '2', { createdAt: at(2) }),
      releaseOf('d-3', 13, '3', { createdAt: at(3) }),
      releaseOf('d-4', 13, '4', { createdAt: at(4) }),
      releaseOf('d-5', 14, null, { createdAt: at(5), status: 'ROLLED_BACK' }),
    ];
    const fn = fnAt({
      deployments: history,
      versions: [version(1, 11), version(2, 12), version(3, 13), version(4, 13)],
    });
    const images = [11, 12, 13, 14].map((n) => image(n, [`ferry-release-d-${n - 10}`]));
    const plan = planCollection(snapshot([fn], images), gcPolicySchema.parse({ rollbackDepth: 2 }));
    expect(removedVersions(plan), 'versions 3 and 4 hold digest 13, version 2 digest 12').toEqual([
      'orders:1',
    ]);
    expect(whyVersionKept(plan, '2')).toEqual(['recent-release']);
    expect(whyKept(plan, 12)).toEqual(['published-version', 'recent-release']);
    expect(removedImages(plan), 'the rolled-back release’s image is no release').toEqual([14]);
  });

  it('keeps everything an unfinished deployment named or may still write', () => {
    const running = aDeployment({
      id: 'd-9',
      status: 'RUNNING',
      createdAt: OLD,
      request: { image: uriOf(20) },
      previous: { version: '1', digest: digest(21), imageUri: uriOf(21) },
      release: { version: '2', digest: digest(22), imageUri: uriOf(22), repository: 'team/app' },
    });
    const pending = aDeployment({
      id: 'd-10',
      functionName: 'orders',
      status: 'PENDING',
      createdAt: OLD,
      request: { source: { url: 'https://git.example.com/app.git' } },
    });
    const fn = fnAt({
      deployments: [running, pending],
      versions: [version(1, 21), version(2, 22)],
    });
    const images = [
      image(20, ['ferry-release-d-3']),
      image(21, ['ferry-release-d-4']),
      image(22, ['ferry-release-d-9']),
      image(23, ['ferry-candidate-d-10']),
    ];
    const plan = planCollection(snapshot([fn], images), gcPolicySchema.parse({ rollbackDepth: 1 }));
    expect(removedImages(plan)).toEqual([]);
    expect(removedVersions(plan)).toEqual([]);
    expect(whyKept(plan, 20), 'the pinned request').toEqual(['in-flight']);
    expect(
      whyKept(plan, 23),
      'the candidate the build pushed before the record names a digest',
    ).toEqual(['in-flight']);
    expect(whyVersionKept(plan, '1'), 'what its Rollback restores').toEqual(['in-flight']);
  });

  it('keeps both sides of a failed rollback until a release succeeds', () => {
    const failed = releaseOf('d-2', 12, '2', {
      status: 'ROLLBACK_FAILED',
      createdAt: '2026-04-02T00:00:00.000Z',
      previous: { version: '1', digest: digest(11), imageUri: uriOf(11) },
    });
    const fn = fnAt({ deployments: [failed], versions: [version(1, 11), version(2, 12)] });
    const plan = planCollection(snapshot([fn], []), gcPolicySchema.parse({ rollbackDepth: 1 }));
    expect(whyVersionKept(plan, '1')).toEqual(['rollback-failed']);
    expect(whyVersionKept(plan, '2')).toEqual(['rollback-failed']);
    const healed = fnAt({
      ...fn,
      deployments: [failed, releaseOf('d-3', 13, '3', { createdAt: '2026-04-03T00:00:00.000Z' })],
    });
    expect(
      removedVersions(
        planCollection(snapshot([healed], []), gcPolicySchema.parse({ rollbackDepth: 1 })),
      ),
    ).toEqual(['orders:1', 'orders:2']);
  });
});

describe('Collection plan: policy and re-check data', () => {
  it('defaults to 7 days, depth 3 and deleting, and refuses an age below an hour naming the value', () => {
    expect(defaults).toEqual({
      minimumAgeSeconds: 604800,
      rollbackDepth: 3,
      functionRollbackDepths: {},
      imageRemoval: 'delete',
    });
    const result = gcPolicySchema.safeParse({ minimumAgeSeconds: 60 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['minimumAgeSeconds']);
    expect(
      gcPolicySchema.safeParse({ rollbackDepth: 0 }).success,
      'depth 0 keeps no rollback',
    ).toBe(false);
  });

  it('names the locks and facts the deletion step re-checks', () => {
    const billing = fnAt({
      functionName: 'billing',
      deployments: [releaseOf('d-5', 1, null, { functionName: 'billing' })],
    });
    const fn = fnAt({ versions: [version(1, 8)] });
    const plan = planCollection(
      snapshot([fn, billing], [image(7, ['ferry-release-d-7'])]),
      defaults,
    );
    expect(plan.images[0]?.recheck).toEqual({
      locks: ['billing', 'orders'],
      facts: [
        {
          fact: 'tags-unchanged',
          repository: 'team/app',
          digest: digest(7),
          tags: ['ferry-release-d-7'],
        },
        { fact: 'no-deployment-since', functionName: 'orders', newestDeploymentId: null },
        { fact: 'no-deployment-since', functionName: 'billing', newestDeploymentId: 'd-5' },
        { fact: 'still-collectable' },
      ],
    });
    expect(plan.versions[0]?.recheck.locks).toEqual(['orders']);
  });
});

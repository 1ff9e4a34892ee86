import { describe, expect, it } from 'vitest';
import { aDeployment } from '../../test/fakes/deployments.ts';
import {
  defaults,
  fnAt,
  image,
  removedImages,
  removedVersions,
  snapshot,
  version,
} from '../../test/support/gc-fixtures.ts';
import { planCollection } from './collection-plan.ts';
import { confirmUnderLock } from './gc-confirm.ts';

// Planned: image 7 (Ferry's, unused) and version 1 of orders (behind no alias).
const before = snapshot([fnAt({ versions: [version(1, 1)] })], [image(7, ['ferry-release-d-7'])]);
const plan = planCollection(before, defaults);

describe('Confirm under lock: the deletion step’s re-check', () => {
  it('confirms everything when nothing changed', () => {
    expect(removedImages(plan)).toEqual([7]);
    expect(removedVersions(plan)).toEqual(['orders:1']);
    const confirmed = confirmUnderLock(plan, before);
    expect(confirmed.stopped).toEqual([]);
    expect(confirmed.images).toHaveLength(1);
    expect(confirmed.versions).toHaveLength(1);
    expect(confirmed.bytesReclaimed).toBe(700);
  });

  it('stops an image a person tagged since the plan (removal by digest would take the tag)', () => {
    const fresh = snapshot(before.functions, [image(7, ['ferry-release-d-7', 'keep-me'])]);
    const confirmed = confirmUnderLock(plan, fresh);
    expect(confirmed.images).toEqual([]);
    expect(confirmed.bytesReclaimed).toBe(0);
    expect(confirmed.stopped).toContain(
      `image team/app@${plan.images[0]?.digest} kept: its tags changed to [ferry-release-d-7, keep-me]`,
    );
  });

  it('stops what a deployment started since the plan could need, even one that ended', () => {
    const started = aDeployment({ id: 'd-99', status: 'FAILED' });
    const fresh = snapshot(
      [fnAt({ versions: [version(1, 1)], deployments: [started] })],
      before.images,
    );
    const confirmed = confirmUnderLock(plan, fresh);
    expect(confirmed.images).toEqual([]);
    expect(confirmed.versions).toEqual([]);
    expect(confirmed.stopped).toContain(
      'version orders:1 kept: orders has deployment d-99 since the plan',
    );
  });

  it('stops a version an alias was pointed at by hand since the plan', () => {
    const moved = fnAt({
      versions: [version(1, 1)],
      aliases: [{ name: 'canary', routing: { version: '1', additional: null } }],
    });
    const confirmed = confirmUnderLock(plan, snapshot([moved], before.images));
    expect(confirmed.versions).toEqual([]);
    expect(confirmed.stopped).toEqual(['version orders:1 kept: the re-read state keeps it']);
    expect(confirmed.images, 'the image is still unused').toHaveLength(1);
  });

  it('never adds what only the fresh read would plan', () => {
    const more = snapshot(before.functions, [...before.images, image(8, ['ferry-release-d-8'])]);
    expect(removedImages(planCollection(more, defaults))).toEqual([7, 8]);
    expect(confirmUnderLock(plan, more).images.map((i) => i.digest)).toEqual([
      plan.images[0]?.digest,
    ]);
  });

  it('stops an image that is already gone', () => {
    const gone = snapshot(before.functions, []);
    expect(confirmUnderLock(plan, gone).stopped[0]).toMatch(/kept: it is gone already$/);
  });
});

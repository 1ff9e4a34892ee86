/**
 * The use case over random histories (the plan's own property test drives the pure core): gc runs
 * through its ports against a gc-world, races happen between its plan and its locks, and nothing
 * a release can need is ever deleted — judged by an oracle worked out from the world itself.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type GcEvent, HOUR, happening } from '../../test/support/gc-arbitraries.ts';
import { apply } from '../../test/support/gc-history.ts';
import { mustKeep } from '../../test/support/gc-must-keep.ts';
import { newWorld, type World } from '../../test/support/gc-world.ts';
import { worldGcDeps } from '../../test/support/gc-world-ports.ts';
import { collectGarbage } from './collect-garbage.ts';

const RUNS = 300;
const MAX_EVENTS = 80;

/** gc runs more often than in the plan's test, and each one raced: the use case's re-check is under test. */
const racedGc: fc.Arbitrary<GcEvent> = fc.record({
  kind: fc.constant('gc' as const),
  minimumAgeSeconds: fc.constant(HOUR),
  depth: fc.integer({ min: 1, max: 4 }),
  race: fc.array(happening, { minLength: 1, maxLength: 4 }),
});
const event = fc.oneof({ weight: 6, arbitrary: happening }, { weight: 1, arbitrary: racedGc });

/**
 * The oracle over the functions Ferry manages: the use case reads functions from the settings
 * store, so a function Ferry does not manage is not seen through these ports.
 */
const keepOf = (world: World, depth: number) =>
  mustKeep(
    world,
    depth,
    world.functions.filter((f) => f.managed),
  );

describe('collectGarbage: over random histories', () => {
  it(`never deletes what a release can need, races included (${RUNS} histories of up to ${MAX_EVENTS} events)`, async () => {
    let deleted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(event, { minLength: 1, maxLength: MAX_EVENTS, size: 'max' }),
        async (share, events) => {
          const world = newWorld(share);
          const last = { kind: 'gc', minimumAgeSeconds: HOUR, depth: 3, race: [] } as const;
          for (const e of [...events, last]) {
            if (e.kind !== 'gc') {
              apply(world, e);
              continue;
            }
            // What must survive is judged as the world is once gc holds the locks.
            let keep = keepOf(world, e.depth);
            const { deps, removed } = worldGcDeps(world, () => {
              for (const r of e.race) apply(world, r);
              keep = keepOf(world, e.depth);
            });
            const report = await collectGarbage(deps, {
              policy: { minimumAgeSeconds: e.minimumAgeSeconds, rollbackDepth: e.depth },
            });
            expect(report.failure).toBeUndefined();
            // An image is free once the versions that ran it are gone: its digest is judged on
            // the world after the run (gc's own removals are the only change since its locks;
            // what the oracle reads does not depend on the registry), its versions on `keep`.
            const keepImages = keepOf(world, e.depth);
            for (const image of removed.images) {
              const name = `deleted image ${image.repository}@${image.digest}`;
              expect(keepImages.digests.get(image.digest), `${name} is in use`).toBeUndefined();
              const marked = world.deployments.filter(
                (d) =>
                  d.release?.digest === image.digest && d.release.repository === image.repository,
              );
              for (const d of marked) expect(d.imageCollectedAt, `${d.id} says so`).toBeTruthy();
            }
            for (const v of removed.versions) {
              const name = `deleted version ${v.functionName}:${v.version}`;
              expect(
                keep.versions.get(`${v.functionName}:${v.version}`),
                `${name} is in use`,
              ).toBeUndefined();
            }
            deleted += removed.images.length + removed.versions.length;
          }
        },
      ),
      { numRuns: RUNS },
    );
    // The property would hold for a use case that deletes nothing: show that this one does.
    expect(deleted).toBeGreaterThan(0);
  });
});

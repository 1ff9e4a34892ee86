import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply, type Course, type HistoryEvent, STAGES } from '../../test/support/gc-history.ts';
import { newWorld, snapshotOfWorld, type World } from '../../test/support/gc-world.ts';
import { type CollectionPlan, gcPolicySchema, planCollection } from './collection-plan.ts';
import { isTerminal } from './deployment.ts';
import { confirmUnderLock } from './gc-confirm.ts';
import { candidateTag, releaseTag } from './workflow.ts';

/** Runs and history length: enough to reach weighted aliases mid-release after earlier collections. */
const RUNS = 1000;
const MAX_EVENTS = 80;

type GcEvent = {
  readonly kind: 'gc';
  readonly minimumAgeSeconds: number;
  readonly depth: number;
  readonly race: readonly HistoryEvent[];
};

const HOUR = 3600;
const stage = fc.integer({ min: 0, max: STAGES.length - 1 });
// Stopped flights mostly after Lambda changed: where only the record still names the old release.
const lateStage = fc.oneof(
  stage,
  fc.integer({ min: STAGES.indexOf('UpdateFunction'), max: STAGES.length - 1 }),
);
const course: fc.Arbitrary<Course> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'succeed' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('fail' as const),
      after: stage,
      rollbackFails: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('stop' as const), after: lateStage }) },
);
const fn = fc.nat(5);
const pick = fc.nat(40);
const weight = fc.integer({ min: 1, max: 99 }).map((p) => p / 100);
const happening: fc.Arbitrary<HistoryEvent> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('deploy' as const),
      fn,
      mode: fc.constantFrom('source' as const, 'tag' as const, 'digest' as const),
      pick,
      gradual: fc.boolean(),
      provisioned: fc.boolean(),
      weight,
      course,
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('rollback' as const), fn, course }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('point-live' as const), fn, pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('resume' as const), fn, course }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('push' as const), fn, tagged: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constantFrom('tag' as const, 'untag' as const), pick }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('weights' as const), fn, pick, weight }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('provision' as const), fn, pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('latest' as const), fn, pick }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      seconds: fc.oneof(
        fc.integer({ min: 60, max: HOUR }),
        fc.integer({ min: HOUR, max: 2 * HOUR }),
        fc.integer({ min: HOUR, max: 10 * 24 * HOUR }),
      ),
    }),
  },
);

const gc: fc.Arbitrary<GcEvent> = fc.record({
  kind: fc.constant('gc' as const),
  // Mostly the shortest age, so that the other rules decide; sometimes longer ones.
  minimumAgeSeconds: fc.oneof(
    { weight: 3, arbitrary: fc.constant(HOUR) },
    { weight: 1, arbitrary: fc.integer({ min: HOUR, max: 14 * 24 * HOUR }) },
  ),
  depth: fc.integer({ min: 1, max: 4 }),
  // What happens between reading the plan's snapshot and re-reading under the locks.
  race: fc.array(happening, { maxLength: 3 }),
});

const event = fc.oneof({ weight: 10, arbitrary: happening }, { weight: 1, arbitrary: gc });

/**
 * What must survive, computed from the world itself rather than from the snapshot: what Lambda
 * runs or routes to, the newest `depth` released digests, and what unfinished deployments named.
 */
function mustKeep(world: World, depth: number) {
  const digests = new Map<string, string>();
  const versions = new Map<string, string>();
  const tags = new Set<string>();
  const keep = (digest: string | null | undefined, why: string) => {
    if (digest && !digests.has(digest)) digests.set(digest, why);
  };
  for (const f of world.functions) {
    const digestOf = (version: string) => f.versions.find((v) => v.version === version)?.digest;
    const keepVersion = (version: string | null | undefined, why: string) => {
      if (!version) return;
      if (!versions.has(`${f.name}:${version}`)) versions.set(`${f.name}:${version}`, why);
      keep(digestOf(version), why);
    };
    keep(f.latest.digest, `$LATEST of ${f.name}`);
    for (const v of f.versions) keep(v.digest, `published version ${f.name}:${v.version}`);
    for (const [alias, routing] of f.aliases) {
      keepVersion(routing.version, `alias ${f.name}:${alias}`);
      keepVersion(routing.additional?.version, `weighted alias ${f.name}:${alias}`);
    }
    for (const q of f.provisioned) {
      const routing = f.aliases.get(q);
      for (const v of routing ? [routing.version, routing.additional?.version] : [q]) {
        keepVersion(v, `provisioned concurrency on ${f.name}:${q}`);
      }
    }
    const history = world.deployments.filter((d) => d.functionName === f.name).reverse();
    const released = new Set<string>();
    for (const d of history.filter((d) => d.status === 'SUCCEEDED' && d.release?.digest)) {
      const digest = d.release?.digest as string;
      if (!released.has(digest) && released.size === depth) break;
      released.add(digest);
      keep(digest, `release ${d.id}, within the last ${depth} of ${f.name}`);
      keepVersion(d.release?.version, `release ${d.id}, within the last ${depth} of ${f.name}`);
    }
    for (const d of history.filter((d) => !isTerminal(d.status))) {
      const why = `in-flight deployment ${d.id} (${d.status})`;
      keep(d.request.image?.split('@')[1], why);
      keep(d.release?.digest, why);
      keep(d.previous?.digest, why);
      keepVersion(d.release?.version, why);
      keepVersion(d.previous?.version, why);
      tags.add(candidateTag(d.id));
      tags.add(releaseTag(d.id));
    }
  }
  return { digests, versions, tags };
}

/** Asserts the plan removes nothing that must be kept, and nothing that is not Ferry's. */
function expectSafe(world: World, plan: CollectionPlan, depth: number): void {
  const keep = mustKeep(world, depth);
  const takenAt = Date.parse(plan.takenAt);
  for (const image of plan.images) {
    const name = `planned image ${image.repository}@${image.digest} [${image.tags.join(', ')}]`;
    expect(keep.digests.get(image.digest), `${name} is in use`).toBeUndefined();
    for (const tag of image.tags) {
      expect(tag, `${name} has a tag Ferry did not write`).toMatch(/^ferry-(release|candidate)-./);
      expect(keep.tags.has(tag), `${name} has ${tag}, named by an unfinished deployment`).toBe(
        false,
      );
    }
    if (image.tags.length === 0) {
      expect(
        world.builtByFerry.has(image.digest),
        `${name} is untagged and not Ferry's build`,
      ).toBe(true);
    }
    const age = (takenAt - Date.parse(image.pushedAt)) / 1000;
    expect(age, `${name} is younger than the minimum age`).toBeGreaterThanOrEqual(
      plan.policy.minimumAgeSeconds,
    );
  }
  for (const v of plan.versions) {
    const name = `planned version ${v.functionName}:${v.version}`;
    const f = world.functions.find((f) => f.name === v.functionName);
    expect(f?.managed, `${name} belongs to a function Ferry does not manage`).toBe(true);
    expect(v.version, `${name} is $LATEST`).not.toBe('$LATEST');
    expect(
      keep.versions.get(`${v.functionName}:${v.version}`),
      `${name} is in use`,
    ).toBeUndefined();
    const published = f?.versions.find((p) => p.version === v.version)?.publishedAt ?? takenAt;
    expect(
      (takenAt - published) / 1000,
      `${name} is younger than the minimum age`,
    ).toBeGreaterThanOrEqual(plan.policy.minimumAgeSeconds);
  }
}

/**
 * Lets `race` happen after the plan was made, re-reads the world as the deletion step would under
 * the locks, checks that what survives the re-check is safe in the world as it is now, and
 * removes it.
 */
function collect(
  world: World,
  plan: CollectionPlan,
  race: readonly HistoryEvent[],
  depth: number,
): number {
  for (const e of race) apply(world, e);
  const fresh = snapshotOfWorld(world);
  const confirmed = confirmUnderLock(plan, fresh);
  if (race.length === 0) {
    expect(confirmed.stopped, 'nothing changed, so the re-check stops nothing').toEqual([]);
  }
  expectSafe(world, { ...plan, ...confirmed, takenAt: fresh.takenAt }, depth);
  for (const image of confirmed.images) {
    world.images.splice(
      world.images.findIndex((i) => i.repository === image.repository && i.digest === image.digest),
      1,
    );
  }
  for (const v of confirmed.versions) {
    const f = world.functions.find((f) => f.name === v.functionName);
    f?.versions.splice(
      f.versions.findIndex((p) => p.version === v.version),
      1,
    );
  }
  return confirmed.images.length + confirmed.versions.length;
}

describe('Collection plan: over random histories', () => {
  it(`never plans, nor confirms after a race, what a release can need (${RUNS} histories of up to ${MAX_EVENTS} events)`, () => {
    let removed = 0;
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(event, { minLength: 1, maxLength: MAX_EVENTS, size: 'max' }),
        (share, events) => {
          const world = newWorld(share);
          for (const e of [
            ...events,
            { kind: 'gc', minimumAgeSeconds: HOUR, depth: 3, race: [] } as const,
          ]) {
            if (e.kind !== 'gc') {
              apply(world, e);
              continue;
            }
            const policy = gcPolicySchema.parse({
              minimumAgeSeconds: e.minimumAgeSeconds,
              rollbackDepth: e.depth,
            });
            const plan = planCollection(snapshotOfWorld(world), policy);
            expectSafe(world, plan, e.depth);
            removed += collect(world, plan, e.race, e.depth);
          }
        },
      ),
      { numRuns: RUNS },
    );
    // The property would hold for a plan that removes nothing: show that this one does remove.
    expect(removed).toBeGreaterThan(0);
  });
});

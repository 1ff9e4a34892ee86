/**
 * fast-check arbitraries for gc-world histories (gc-history.ts), shared by the plan's property
 * test and the use case's: events of a history, and gc runs with what races them.
 */
import fc from 'fast-check';
import { type Course, type HistoryEvent, STAGES } from './gc-history.ts';

export type GcEvent = {
  readonly kind: 'gc';
  readonly minimumAgeSeconds: number;
  readonly depth: number;
  readonly race: readonly HistoryEvent[];
};

export const HOUR = 3600;
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
export const happening: fc.Arbitrary<HistoryEvent> = fc.oneof(
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

export const gcEvent: fc.Arbitrary<GcEvent> = fc.record({
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

export const event = fc.oneof(
  { weight: 10, arbitrary: happening },
  { weight: 1, arbitrary: gcEvent },
);

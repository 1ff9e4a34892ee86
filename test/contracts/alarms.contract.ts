/**
 * The Alarms port, as every implementation with alarms must answer: the fake, and the CloudWatch
 * adapter on moto's CloudWatch (alarms made there with PutMetricAlarm, put in a state with
 * SetAlarmState). States come back in the order asked; a name no alarm has is a NotFoundError
 * naming it, never a silent gap. Local mode has no alarms at all (local-alarms.ts).
 */
import { describe, expect, it } from 'vitest';
import type { AlarmState, Alarms } from '../../services/core/ports.ts';

/** A fresh implementation and the way to make alarms and put them in a state. */
export interface AlarmsSubject {
  readonly alarms: Alarms;
  /** Makes the alarm if it does not exist, then puts it in `state` with `reason`. */
  set(name: string, state: AlarmState['state'], reason: string): Promise<void>;
}

/** The cases an implementation may be unable to show. */
export type AlarmsGap = 'since-on-transition';

/** One implementation of the port under the contract. */
export interface AlarmsImplementation {
  readonly name: string;
  make(): Promise<AlarmsSubject>;
  readonly gaps?: Partial<Record<AlarmsGap, string>>;
}

/** How many alarms the chunking case asks for at once: more than DescribeAlarms takes a call. */
export const MANY_ALARMS = 105;

/** Registers the contract for one implementation. */
export function describeAlarmsContract(implementation: AlarmsImplementation): void {
  const gaps = implementation.gaps ?? {};
  const unless = (gap: AlarmsGap) => (gaps[gap] ? it.skip : it);
  let made = 0;
  // Names no other test (on a shared server) uses.
  const fresh = (label: string) => `alarms-${implementation.name}-${++made}-${label}`;

  describe(`Alarms contract: ${implementation.name}`, () => {
    it('answers an empty list with an empty list', async () => {
      const { alarms } = await implementation.make();
      await expect(alarms.states([])).resolves.toEqual([]);
    });

    it('reads ALARM, OK and INSUFFICIENT_DATA with their reasons and when they began', async () => {
      const subject = await implementation.make();
      const [errors, latency, quiet] = [fresh('errors'), fresh('latency'), fresh('quiet')];
      await subject.set(errors, 'ALARM', 'Threshold Crossed: 1 datapoint [12.0] > 5.0');
      await subject.set(latency, 'OK', 'Threshold Crossed: 1 datapoint [80.0] < 500.0');
      await subject.set(quiet, 'INSUFFICIENT_DATA', 'Insufficient Data: no datapoints');

      const states = await subject.alarms.states([errors, latency, quiet]);
      expect(states.map(({ since: _, ...rest }) => rest)).toEqual([
        { name: errors, state: 'ALARM', reason: 'Threshold Crossed: 1 datapoint [12.0] > 5.0' },
        { name: latency, state: 'OK', reason: 'Threshold Crossed: 1 datapoint [80.0] < 500.0' },
        { name: quiet, state: 'INSUFFICIENT_DATA', reason: 'Insufficient Data: no datapoints' },
      ]);
      for (const { since } of states) expect(new Date(since).toISOString()).toBe(since);
    });

    it('answers in the order asked, a name asked twice twice', async () => {
      const subject = await implementation.make();
      const [a, b, c] = [fresh('a'), fresh('b'), fresh('c')];
      await subject.set(a, 'OK', 'a');
      await subject.set(b, 'ALARM', 'b');
      await subject.set(c, 'OK', 'c');
      const states = await subject.alarms.states([c, a, b, a]);
      expect(states.map((s) => [s.name, s.state])).toEqual([
        [c, 'OK'],
        [a, 'OK'],
        [b, 'ALARM'],
        [a, 'OK'],
      ]);
    });

    it('refuses a name no alarm has with a NotFoundError naming it, not the alarms found', async () => {
      const subject = await implementation.make();
      const [present, missing] = [fresh('present'), fresh('missing')];
      await subject.set(present, 'OK', 'fine');
      const error = await subject.alarms.states([present, missing]).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error).toMatchObject({ name: 'NotFoundError' });
      expect(error?.message).toContain(`'${missing}'`);
      expect(error?.message).not.toContain(`'${present}'`);
    });

    it(`reads ${MANY_ALARMS} alarms at once, in order`, async () => {
      const subject = await implementation.make();
      const names = Array.from({ length: MANY_ALARMS }, (_, i) => fresh(`many-${i}`));
      const stateOf = (i: number): AlarmState['state'] => (i % 7 === 3 ? 'ALARM' : 'OK');
      for (let start = 0; start < names.length; start += 15) {
        await Promise.all(
          names
            .slice(start, start + 15)
            .map((name, j) => subject.set(name, stateOf(start + j), name)),
        );
      }
      const states = await subject.alarms.states(names);
      expect(states.map((s) => [s.name, s.state])).toEqual(names.map((n, i) => [n, stateOf(i)]));
    });

    unless('since-on-transition')(
      'moves `since` when the state changes, not when only the reason does',
      async () => {
        const subject = await implementation.make();
        const name = fresh('since');
        await subject.set(name, 'OK', 'first');
        const [first] = await subject.alarms.states([name]);
        await new Promise((resolve) => setTimeout(resolve, 20));
        await subject.set(name, 'OK', 'second');
        const [again] = await subject.alarms.states([name]);
        expect(again).toEqual({ ...first, reason: 'second' });
        await new Promise((resolve) => setTimeout(resolve, 20));
        await subject.set(name, 'ALARM', 'third');
        const [changed] = await subject.alarms.states([name]);
        expect(Date.parse(changed?.since ?? '')).toBeGreaterThan(Date.parse(first?.since ?? ''));
      },
    );
  });
}

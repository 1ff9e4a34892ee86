import { type Clock, systemClock } from '../../services/core/clock.ts';
import { NotFoundError } from '../../services/core/errors.ts';
import type { AlarmState, Alarms } from '../../services/core/ports.ts';

/**
 * In-memory Alarms with CloudWatch's semantics, checked by the same contract suite
 * (test/contracts/alarms.contract.ts): states in the order asked, a missing name a NotFoundError
 * naming it, `since` moving only when the state changes. Faults are injected the way they are for
 * every port, by wrapping it (test/workflow/faults.ts), so the fake has no failure modes of its own.
 */
export class FakeAlarms implements Alarms {
  private readonly alarms = new Map<string, AlarmState>();
  /** Every list of names asked for, in order (what a judge looked at, and when). */
  readonly asked: string[][] = [];

  constructor(private readonly clock: Clock = systemClock) {}

  /** Puts the alarm in `state`; like CloudWatch, a new reason alone leaves `since` as it was. */
  set(
    name: string,
    state: AlarmState['state'],
    reason = `Threshold Crossed: set to ${state}`,
  ): void {
    const held = this.alarms.get(name);
    const since = held?.state === state ? held.since : this.clock.now().toISOString();
    this.alarms.set(name, { name, state, reason, since });
  }

  /** Deletes the alarm: names of it are NotFoundError from now on. */
  delete(name: string): void {
    this.alarms.delete(name);
  }

  async states(names: readonly string[]): Promise<AlarmState[]> {
    this.asked.push([...names]);
    const missing = [...new Set(names)].filter((name) => !this.alarms.has(name));
    if (missing.length > 0) {
      const list = missing.map((name) => `'${name}'`).join(', ');
      throw new NotFoundError(`no alarm is named ${list}`);
    }
    return names.map((name) => ({ ...(this.alarms.get(name) as AlarmState) }));
  }
}

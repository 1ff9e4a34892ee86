import { NotFoundError } from '../../services/core/errors.ts';
import type { AlarmState, Alarms } from '../../services/core/ports.ts';

/** Alarms a test sets by name; a name never set is NotFoundError, as CloudWatch's adapter says. */
export class SettableAlarms implements Alarms {
  private readonly alarms = new Map<string, AlarmState>();

  set(name: string, state: AlarmState['state'], reason = `${name} is ${state}`): void {
    this.alarms.set(name, { name, state, reason, since: new Date(0).toISOString() });
  }

  async states(names: readonly string[]): Promise<AlarmState[]> {
    return names.map((name) => {
      const alarm = this.alarms.get(name);
      if (!alarm) throw new NotFoundError(`alarm ${name} not found`);
      return { ...alarm };
    });
  }
}

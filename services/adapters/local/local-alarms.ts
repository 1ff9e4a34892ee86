/**
 * The Alarms port in local mode. Alarms are CloudWatch alarms and local mode has no CloudWatch,
 * so every named alarm is missing: a function whose settings name alarms fails its release
 * loudly here rather than passing a judge that looked at nothing.
 */
import { NotFoundError } from '../../core/errors.ts';
import type { AlarmState, Alarms } from '../../core/ports.ts';

/** Alarms where there are none: any name is a NotFoundError that says why. */
export class LocalAlarms implements Alarms {
  async states(names: readonly string[]): Promise<AlarmState[]> {
    if (names.length === 0) return [];
    const list = [...new Set(names)].map((name) => `'${name}'`).join(', ');
    throw new NotFoundError(
      `alarm ${list} not found: alarms are CloudWatch alarms, which local mode does not have; remove them from the function's judge.alarms to release it locally`,
    );
  }
}

/**
 * The Alarms port on AWS: CloudWatch's DescribeAlarms by name, metric and composite alarms alike
 * (without AlarmTypes CloudWatch answers metric alarms only, and a composite alarm a setting
 * names would read as missing). DescribeAlarms takes at most 100 names a call and pages its
 * answer, so names are asked in chunks and every page is read.
 */
import {
  type CloudWatchClient,
  type CompositeAlarm,
  DescribeAlarmsCommand,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import { CorruptItemError, NotFoundError } from '../../core/errors.ts';
import type { AlarmState, Alarms } from '../../core/ports.ts';
import { toFerryError } from './aws-errors.ts';

/** DescribeAlarms' limit on AlarmNames per call. */
export const MAX_NAMES_PER_CALL = 100;

const STATES: readonly string[] = [
  'OK',
  'ALARM',
  'INSUFFICIENT_DATA',
] satisfies AlarmState['state'][];

const isState = (value: string | undefined): value is AlarmState['state'] =>
  value !== undefined && STATES.includes(value);

/** Alarms from CloudWatch. */
export class CloudWatchAlarms implements Alarms {
  constructor(private readonly client: CloudWatchClient) {}

  async states(names: readonly string[]): Promise<AlarmState[]> {
    const unique = [...new Set(names)];
    const found = new Map<string, AlarmState>();
    for (let start = 0; start < unique.length; start += MAX_NAMES_PER_CALL) {
      for (const alarm of await this.describe(unique.slice(start, start + MAX_NAMES_PER_CALL))) {
        found.set(alarm.name, alarm);
      }
    }
    const missing = unique.filter((name) => !found.has(name));
    if (missing.length > 0) {
      const list = missing.map((name) => `'${name}'`).join(', ');
      throw new NotFoundError(
        `no CloudWatch alarm is named ${list}: check the alarm names in the function's judge settings`,
      );
    }
    return names.map((name) => found.get(name) as AlarmState);
  }

  /** Every alarm among `names` (≤ 100), page after page. */
  private async describe(names: string[]): Promise<AlarmState[]> {
    const shown = names.slice(0, 3).join(', ');
    const context = `cloudwatch:DescribeAlarms ${shown}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`;
    const alarms: AlarmState[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.client
        .send(
          new DescribeAlarmsCommand({
            AlarmNames: names,
            AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            NextToken: nextToken,
          }),
        )
        .catch((error: unknown) => {
          throw toFerryError(error, context);
        });
      for (const alarm of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]) {
        alarms.push(alarmState(alarm));
      }
      nextToken = out.NextToken;
    } while (nextToken);
    return alarms;
  }
}

/** An alarm as the port's AlarmState: the state it is in and since when it has been in it. */
function alarmState(alarm: MetricAlarm | CompositeAlarm): AlarmState {
  const { AlarmName: name, StateValue: state } = alarm;
  // StateTransitionedTimestamp is when the state last changed; StateUpdatedTimestamp also moves
  // when only the reason does, so it stands in only where the first is not given.
  const since = alarm.StateTransitionedTimestamp ?? alarm.StateUpdatedTimestamp;
  if (!name || !isState(state) || !since) {
    throw new CorruptItemError(
      `CloudWatch described alarm '${name}' as state '${state}' since ${since?.toISOString()}: Ferry reads a name, a state of ${STATES.join(', ')} and StateTransitionedTimestamp or StateUpdatedTimestamp`,
    );
  }
  return { name, state, reason: alarm.StateReason ?? '', since: since.toISOString() };
}

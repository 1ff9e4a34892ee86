/**
 * CloudWatchAlarms against a mocked CloudWatchClient: what moto cannot show. moto makes no
 * composite alarm through the SDK, never pages DescribeAlarms, keeps no
 * StateTransitionedTimestamp and never throttles; the Alarms contract runs the adapter on moto
 * for the rest (test/contracts/alarms.test.ts).
 */
import 'aws-sdk-client-mock-vitest/extend';
import {
  CloudWatchClient,
  CloudWatchServiceException,
  DescribeAlarmsCommand,
  type MetricAlarm,
  type StateValue,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CloudWatchAlarms } from './cloudwatch-alarms.ts';

const cloudwatch = mockClient(CloudWatchClient);
const alarms = () => new CloudWatchAlarms(new CloudWatchClient({ region: 'eu-west-1' }));

const at = (iso: string) => new Date(iso);
const metricAlarm = (name: string, state: StateValue): MetricAlarm => ({
  AlarmName: name,
  StateValue: state,
  StateReason: `${name} is ${state}`,
  StateUpdatedTimestamp: at('2026-11-28T12:05:00Z'),
  StateTransitionedTimestamp: at('2026-11-28T12:00:00Z'),
});

const serviceError = (name: string, status: number) =>
  new CloudWatchServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: `${name} from CloudWatch`,
  });

beforeEach(() => {
  cloudwatch.reset();
});

describe('Class: CloudWatchAlarms', () => {
  it('asks for metric and composite alarms by name, and reads both', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [metricAlarm('orders-errors', 'OK')],
      CompositeAlarms: [metricAlarm('orders-health', 'ALARM')],
    });
    await expect(alarms().states(['orders-health', 'orders-errors'])).resolves.toEqual([
      {
        name: 'orders-health',
        state: 'ALARM',
        reason: 'orders-health is ALARM',
        since: '2026-11-28T12:00:00.000Z',
      },
      {
        name: 'orders-errors',
        state: 'OK',
        reason: 'orders-errors is OK',
        since: '2026-11-28T12:00:00.000Z',
      },
    ]);
    expect(cloudwatch).toHaveReceivedCommandWith(DescribeAlarmsCommand, {
      AlarmNames: ['orders-health', 'orders-errors'],
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
    });
  });

  it('follows NextToken to the last page', async () => {
    cloudwatch
      .on(DescribeAlarmsCommand)
      .resolvesOnce({ MetricAlarms: [metricAlarm('a', 'OK')], NextToken: 'page-2' })
      .resolvesOnce({ CompositeAlarms: [metricAlarm('b', 'ALARM')] });
    const states = await alarms().states(['a', 'b']);
    expect(states.map((s) => [s.name, s.state])).toEqual([
      ['a', 'OK'],
      ['b', 'ALARM'],
    ]);
    expect(cloudwatch).toHaveReceivedCommandTimes(DescribeAlarmsCommand, 2);
    const asked = cloudwatch.commandCalls(DescribeAlarmsCommand).map((call) => call.args[0].input);
    expect(asked.map((input) => [input.AlarmNames, input.NextToken])).toEqual([
      [['a', 'b'], undefined],
      [['a', 'b'], 'page-2'],
    ]);
  });

  it('dates the state from its last transition, or its last update when that is all there is', async () => {
    const { StateTransitionedTimestamp: _, ...updatedOnly } = metricAlarm('b', 'OK');
    cloudwatch
      .on(DescribeAlarmsCommand)
      .resolves({ MetricAlarms: [metricAlarm('a', 'ALARM'), updatedOnly] });
    const states = await alarms().states(['a', 'b']);
    expect(states.map((s) => s.since)).toEqual([
      '2026-11-28T12:00:00.000Z',
      '2026-11-28T12:05:00.000Z',
    ]);
  });

  it('asks no question for no names', async () => {
    await expect(alarms().states([])).resolves.toEqual([]);
    expect(cloudwatch).not.toHaveReceivedCommand(DescribeAlarmsCommand);
  });

  it('asks each name once, however often it is asked for', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [metricAlarm('a', 'OK')] });
    await expect(alarms().states(['a', 'a'])).resolves.toHaveLength(2);
    expect(cloudwatch).toHaveReceivedCommandWith(DescribeAlarmsCommand, { AlarmNames: ['a'] });
  });

  it('throws TransientError when CloudWatch throttles or fails, naming the call', async () => {
    cloudwatch
      .on(DescribeAlarmsCommand)
      .rejectsOnce(serviceError('Throttling', 400))
      .rejectsOnce(serviceError('InternalServiceError', 500));
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(alarms().states(['orders-errors'])).rejects.toMatchObject({
        name: 'TransientError',
        message: expect.stringContaining('cloudwatch:DescribeAlarms orders-errors'),
      });
    }
  });

  it('throws AccessDeniedError when the role may not describe alarms', async () => {
    cloudwatch.on(DescribeAlarmsCommand).rejects(serviceError('AccessDenied', 403));
    await expect(alarms().states(['orders-errors'])).rejects.toMatchObject({
      name: 'AccessDeniedError',
    });
  });

  it('refuses an alarm in a state Ferry has no name for, naming it', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [{ ...metricAlarm('a', 'OK'), StateValue: 'PENDING' as StateValue }],
    });
    await expect(alarms().states(['a'])).rejects.toMatchObject({
      name: 'CorruptItemError',
      message: expect.stringContaining("alarm 'a' as state 'PENDING'"),
    });
  });
});

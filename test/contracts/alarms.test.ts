/**
 * The Alarms contract against the fake and against the CloudWatch adapter on moto's CloudWatch.
 * moto answers any number of AlarmNames in one call, so the adapter's chunking is also checked
 * by watching the requests it sends.
 */
import {
  CloudWatchClient,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudWatchAlarms,
  MAX_NAMES_PER_CALL,
} from '../../services/adapters/aws/cloudwatch-alarms.ts';
import { FakeAlarms } from '../fakes/fake-alarms.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { type MotoServer, motoClientConfig, startMotoServer } from '../support/moto.ts';
import { describeAlarmsContract, MANY_ALARMS } from './alarms.contract.ts';

describe('fake', () => {
  describeAlarmsContract({
    name: 'fake',
    make: async () => {
      const alarms = new FakeAlarms(new ManualClock());
      return { alarms, set: async (name, state, reason) => alarms.set(name, state, reason) };
    },
  });
});

describe('moto', () => {
  let moto: MotoServer;
  let client: CloudWatchClient;
  /** AlarmNames of every DescribeAlarms request the adapter sent. */
  const described: string[][] = [];
  const created = new Set<string>();

  beforeAll(async () => {
    moto = await startMotoServer();
    client = new CloudWatchClient(motoClientConfig(moto.endpoint));
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'DescribeAlarmsCommand') {
          described.push([...((args.input as { AlarmNames?: string[] }).AlarmNames ?? [])]);
        }
        return next(args);
      },
      { step: 'initialize', name: 'recordDescribedAlarmNames' },
    );
  });
  afterAll(async () => {
    client?.destroy();
    await moto?.close();
  });

  /** A metric alarm on a Lambda function's errors, as a team would make one. */
  async function createAlarm(name: string): Promise<void> {
    await client.send(
      new PutMetricAlarmCommand({
        AlarmName: name,
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: 'orders' }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    created.add(name);
  }

  describeAlarmsContract({
    name: 'moto',
    make: async () => ({
      alarms: new CloudWatchAlarms(client),
      set: async (name, state, reason) => {
        if (!created.has(name)) await createAlarm(name);
        await client.send(
          new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: reason }),
        );
      },
    }),
    gaps: {
      'since-on-transition':
        'moto 5 keeps no StateTransitionedTimestamp, only StateUpdatedTimestamp, which every SetAlarmState moves: the adapter prefers the first (its mock test shows it)',
    },
  });

  it(`asks DescribeAlarms for at most ${MAX_NAMES_PER_CALL} names a call`, async () => {
    const names = Array.from({ length: MANY_ALARMS }, (_, i) => `alarms-chunked-${i}`);
    for (let start = 0; start < names.length; start += 15) {
      await Promise.all(names.slice(start, start + 15).map(createAlarm));
    }
    described.length = 0;
    const states = await new CloudWatchAlarms(client).states(names);
    expect(states.map((s) => s.name)).toEqual(names);
    expect(described.map((asked) => asked.length)).toEqual([MAX_NAMES_PER_CALL, 5]);
    expect(described.flat()).toEqual(names);
  });
});

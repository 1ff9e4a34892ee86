/** The scheduled gc: a daily EventBridge Scheduler schedule invoking the gc Lambda, and its grants. */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseFerryConfig } from '../../infra/config.ts';
import { FULL_CONTEXT, ferryStack, fullTemplate } from './support/app.ts';
import { actionsOf, allowStatementsOf } from './support/iam.ts';

const schedules = () => Object.values(fullTemplate().findResources('AWS::Scheduler::Schedule'));

describe('Construct: Gc', () => {
  it('invokes the gc Lambda once a day, without retries (the next day makes up for a miss)', () => {
    expect(schedules()).toHaveLength(1);
    expect(schedules()[0]?.Properties).toMatchObject({
      ScheduleExpression: 'rate(1 day)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [expect.stringMatching(/^GcHandler/), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 0 },
      },
    });
  });

  it("lets the schedule's role invoke the gc Lambda and nothing else", () => {
    const roleRef = schedules()[0]?.Properties.Target.RoleArn['Fn::GetAtt'][0] as string;
    const role = roleRef.replace(/[A-F0-9]{8}$/, '');
    expect(actionsOf(allowStatementsOf(fullTemplate(), role))).toEqual(['lambda:InvokeFunction']);
  });

  it('deletes only from the repositories Ferry uses and versions of opted-in functions', () => {
    const statements = allowStatementsOf(fullTemplate(), 'GcHandlerRole');
    const ecr = statements.find((s) => actionsOf([s]).includes('ecr:BatchDeleteImage'));
    expect(JSON.stringify(ecr?.Resource)).toMatch(/repository\/payments-api/);
    expect(JSON.stringify(ecr?.Resource)).not.toContain('"*"');
    const lambda = statements.find((s) => actionsOf([s]).includes('lambda:DeleteFunction'));
    expect(JSON.stringify(lambda?.Resource)).toContain('function:prod-*');
    expect(lambda?.Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/ferry:managed': 'true' },
    });
  });

  it('passes the configured policy to the gc Lambda, and has no schedule when it is off', () => {
    const gcLambda = Object.values(fullTemplate().findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Description?.startsWith('Ferry gc'),
    );
    expect(gcLambda?.Properties.Environment.Variables).toMatchObject({
      FERRY_GC_ROLLBACK_DEPTH: '3',
      FERRY_GC_MIN_AGE_SECONDS: String(7 * 86_400),
    });
    const { stack } = ferryStack({
      config: parseFerryConfig({ ...FULL_CONTEXT, 'ferry:gcSchedule': false }),
    });
    Template.fromStack(stack).resourceCountIs('AWS::Scheduler::Schedule', 0);
  });
});

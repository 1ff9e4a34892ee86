/**
 * Ferry's alarms, all publishing to the alerts topic. A deployment that ends REJECTED or
 * ROLLED_BACK is the system working (a verdict), so it does not alarm; these do.
 */
import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  type Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FerryMetrics } from './ferry-metrics.ts';

/** Properties of the Alarms. */
export interface AlarmsProps {
  /** Where alarms publish. */
  readonly topic: ITopic;
  /** The deploy state machine. */
  readonly stateMachine: StateMachine;
  /** Ferry's custom metrics. */
  readonly metrics: FerryMetrics;
  /** The worker functions. */
  readonly workers: readonly IFunction[];
  /**
   * The HTTP API.
   * @default - no API 5xx alarm
   */
  readonly httpApi?: IHttpApi;
}

/** Workflow failures, ROLLBACK_FAILED, worker errors and API 5xx alarms. */
/** The most metrics CloudWatch lets one alarm's math expression use. */
const MAX_ALARM_METRICS = 10;

export class Alarms extends Construct {
  /** Every alarm created, by id. */
  readonly alarms: Readonly<Record<string, Alarm>>;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    const alarms: Record<string, Alarm> = {};
    const alarm = (
      alarmId: string,
      description: string,
      metric: Metric | MathExpression,
      threshold: number,
      evaluationPeriods = 1,
    ) => {
      const created = new Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new SnsAction(props.topic));
      alarms[alarmId] = created;
    };

    alarm(
      'WorkflowFailures',
      'Deploy executions timed out or were aborted, or deployments ended FAILED (an error before the function changed)',
      new MathExpression({
        expression: 'timedOut + aborted + failed',
        usingMetrics: {
          timedOut: props.stateMachine.metricTimedOut({ period }),
          aborted: props.stateMachine.metricAborted({ period }),
          failed: props.metrics.deployments('FAILED'),
        },
        period,
        label: 'workflow failures',
      }),
      1,
    );
    alarm(
      'RollbackFailed',
      'CRITICAL: a rollback failed; the function may be half-restored. Read the deployment reason and fix by hand.',
      props.metrics.rollbackFailed(),
      1,
    );
    // Workers also signal some expected outcomes (lock held, image gone) by throwing, so one
    // error is not an incident: alarm on a sustained rate instead.
    // An alarm's metric math takes at most 10 metrics: one alarm per 10 workers.
    for (let first = 0; first < props.workers.length; first += MAX_ALARM_METRICS) {
      const group = props.workers.slice(first, first + MAX_ALARM_METRICS);
      const errors = Object.fromEntries(
        group.map((fn, i) => [`w${i}`, fn.metricErrors({ period, statistic: 'Sum' })]),
      );
      alarm(
        first === 0 ? 'WorkerErrors' : `WorkerErrors${first / MAX_ALARM_METRICS + 1}`,
        `Ferry worker Lambdas ${first + 1}–${first + group.length} (in workflow order) are failing repeatedly (15 minutes in a row)`,
        new MathExpression({
          expression: Object.keys(errors).join(' + '),
          usingMetrics: errors,
          period,
          label: 'worker errors',
        }),
        1,
        3,
      );
    }
    if (props.httpApi) {
      alarm(
        'Api5xx',
        'The Ferry API answered 5xx',
        props.httpApi.metricServerError({ period, statistic: 'Sum' }),
        5,
      );
    }
    this.alarms = alarms;
  }
}

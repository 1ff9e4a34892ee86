import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CapturedOutput, captureOutput } from '../../../test/support/capture-output.ts';
import { lambdaContext } from '../../../test/support/lambda-context.ts';
import { countDeploymentEnded } from '../../core/metrics.ts';
import { withInvocation } from './invocation.ts';
import { PowertoolsLogging } from './powertools-logging.ts';
import { PowertoolsMetrics } from './powertools-metrics.ts';

let output: CapturedOutput;
beforeEach(() => {
  output = captureOutput();
});
afterEach(() => output.restore());

function telemetry() {
  return {
    logging: new PowertoolsLogging(new Logger({ serviceName: 'ferry-worker' })),
    metrics: new PowertoolsMetrics(
      new Metrics({ namespace: 'Ferry', serviceName: 'ferry-worker' }),
    ),
  };
}

/** The EMF lines written: CloudWatch turns each `_aws` directive into metrics. */
const emf = () => output.records().filter((r) => '_aws' in r);

describe('Class: PowertoolsMetrics (the Metrics port as CloudWatch EMF)', () => {
  it('writes a deployment outcome as EMF: Ferry/Deployments by service and Status, RollbackFailed by service', async () => {
    const t = telemetry();
    await withInvocation(t, lambdaContext(), { keys: { deploymentId: 'd-1' } }, async () =>
      countDeploymentEnded(t.metrics, 'ROLLBACK_FAILED'),
    );
    expect(emf()).toEqual([
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: 'Ferry',
              Dimensions: [['service', 'Status']],
              Metrics: [{ Name: 'Deployments', Unit: 'Count' }],
            },
          ],
        },
        service: 'ferry-worker',
        Status: 'ROLLBACK_FAILED',
        Deployments: 1,
      },
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: 'Ferry',
              Dimensions: [['service']],
              Metrics: [{ Name: 'RollbackFailed', Unit: 'Count' }],
            },
          ],
        },
        service: 'ferry-worker',
        RollbackFailed: 1,
      },
    ]);
  });

  it('flushes the samples without dimensions once, when the invocation ends (also when it throws)', async () => {
    const t = telemetry();
    await expect(
      withInvocation(t, lambdaContext(), {}, async () => {
        t.metrics.add('ImageCompressedBytes', 1024, {});
        t.metrics.add('InitDurationMs', 180.5, {});
        expect(emf()).toHaveLength(0);
        throw new Error('after the samples');
      }),
    ).rejects.toThrow('after the samples');
    expect(emf()).toEqual([
      expect.objectContaining({
        _aws: expect.objectContaining({
          CloudWatchMetrics: [
            {
              Namespace: 'Ferry',
              Dimensions: [['service']],
              Metrics: [
                { Name: 'ImageCompressedBytes', Unit: 'Bytes' },
                { Name: 'InitDurationMs', Unit: 'Milliseconds' },
              ],
            },
          ],
        }),
        ImageCompressedBytes: 1024,
        InitDurationMs: 180.5,
      }),
    ]);
  });

  it('writes nothing, not even a warning, for an invocation without samples; none carry over', async () => {
    const t = telemetry();
    await withInvocation(t, lambdaContext('req-1'), {}, async () => {
      t.metrics.add('ImageCompressedBytes', 1, {});
    });
    await withInvocation(t, lambdaContext('req-2'), {}, async () => {});
    expect(emf()).toHaveLength(1);
    expect(output.lines()).toHaveLength(1);
  });
});

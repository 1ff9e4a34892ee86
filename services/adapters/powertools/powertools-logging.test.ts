import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type CapturedOutput, captureOutput } from '../../../test/support/capture-output.ts';
import { lambdaContext } from '../../../test/support/lambda-context.ts';
import { withInvocation } from './invocation.ts';
import { PowertoolsLogging } from './powertools-logging.ts';

let output: CapturedOutput;
beforeEach(() => {
  // As Lambda sets it for on-demand functions: Powertools reports cold starts only then.
  vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
  output = captureOutput();
});
afterEach(() => {
  output.restore();
  vi.unstubAllEnvs();
});

const telemetry = (logLevel?: 'DEBUG') => ({
  logging: new PowertoolsLogging(
    new Logger({ serviceName: 'ferry-worker', ...(logLevel ? { logLevel } : {}) }),
  ),
});

describe('Class: PowertoolsLogging (the Logger port on Powertools Logger)', () => {
  it("keeps a line's level, message, timestamp and service when its data has keys of those names", async () => {
    const { logging } = telemetry();
    await withInvocation({ logging }, lambdaContext('req-1'), {}, async () => {
      logging.logger.warn('step failed', {
        step: 'ScanImage',
        message: 'throttled',
        level: 'DEBUG',
        timestamp: 'yesterday',
        service: 'other',
        function_request_id: 'forged',
      });
    });
    // One line: Powertools' own "reserved key … will be dropped" warning never fires.
    expect(output.records()).toEqual([
      expect.objectContaining({
        level: 'WARN',
        message: 'step failed',
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        service: 'ferry-worker',
        function_request_id: 'req-1',
        step: 'ScanImage',
        data_message: 'throttled',
        data_level: 'DEBUG',
        data_timestamp: 'yesterday',
        data_service: 'other',
        data_function_request_id: 'forged',
      }),
    ]);
  });

  it("puts each invocation's deployment id and request id on its lines, and none on the next", async () => {
    const { logging } = telemetry();
    await withInvocation(
      { logging },
      lambdaContext('req-1'),
      { keys: { deploymentId: 'd-1' }, correlationId: 'apigw-1' },
      async () => {
        logging.logger.info('one');
        logging.logger.info('two', { deploymentId: 'd-1', functionName: 'orders' });
      },
    );
    await withInvocation({ logging }, lambdaContext('req-2'), {}, async () => {
      logging.logger.info('three');
    });
    const [one, two, three] = output.records();
    for (const line of [one, two]) {
      expect(line).toMatchObject({
        deploymentId: 'd-1',
        function_request_id: 'req-1',
        correlation_id: 'apigw-1',
        cold_start: true,
      });
    }
    // A data value equal to the invocation's key is that key again, not a second field.
    expect(Object.keys(two ?? {}).filter((k) => k.includes('deploymentId'))).toEqual([
      'deploymentId',
    ]);
    expect(three).toMatchObject({
      message: 'three',
      function_request_id: 'req-2',
      cold_start: false,
    });
    expect(three).not.toHaveProperty('deploymentId');
    expect(three).not.toHaveProperty('correlation_id');
  });

  it("resets the keys when an invocation throws, and never lets data replace the invocation's own", async () => {
    const { logging } = telemetry();
    await expect(
      withInvocation({ logging }, lambdaContext('req-1'), { keys: { deploymentId: 'd-1' } }, () => {
        logging.logger.error('deployment record missing', { deploymentId: 'd-other' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await withInvocation(
      { logging },
      lambdaContext('req-2'),
      { keys: { deploymentId: 'd-2' } },
      async () => logging.logger.info('next'),
    );
    const [failed, next] = output.records();
    expect(failed).toMatchObject({ deploymentId: 'd-1', data_deploymentId: 'd-other' });
    expect(next).toMatchObject({ deploymentId: 'd-2', function_request_id: 'req-2' });
  });

  it('writes each port level as its Powertools level; debug only when the level allows it', async () => {
    const quiet = telemetry();
    const verbose = telemetry('DEBUG');
    for (const { logging } of [quiet, verbose]) {
      await withInvocation({ logging }, lambdaContext(), {}, async () => {
        logging.logger.debug('d');
        logging.logger.info('i');
        logging.logger.warn('w');
        logging.logger.error('e');
      });
    }
    expect(output.records().map((r) => `${r.level} ${r.message}`)).toEqual([
      'INFO i',
      'WARN w',
      'ERROR e',
      'DEBUG d',
      'INFO i',
      'WARN w',
      'ERROR e',
    ]);
  });
});

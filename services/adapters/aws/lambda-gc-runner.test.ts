/**
 * The API's gc runner over the gc Lambda. aws-sdk-client-mock: what the gc Lambda answers is
 * Ferry's own report, which no independent Lambda implementation here runs.
 */
import 'aws-sdk-client-mock-vitest/extend';
import { InvokeCommand, type InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { LambdaGcRunner } from './lambda-gc-runner.ts';

const lambda = mockClient(LambdaClient);
beforeEach(() => lambda.reset());

const report = {
  dryRun: true,
  takenAt: '2026-12-01T00:00:00.000Z',
  policy: {
    minimumAgeSeconds: 3600,
    rollbackDepth: 3,
    functionRollbackDepths: {},
    imageRemoval: 'delete',
  },
  images: [],
  versions: [{ functionName: 'orders', version: '1', digest: null }],
  kept: { images: 2, versions: 3, byRule: { alias: 1 } },
  skipped: [],
  stopped: [],
  bytesReclaimed: 0,
};
const bytes = (value: unknown) =>
  new TextEncoder().encode(JSON.stringify(value)) as InvokeCommandOutput['Payload'];

describe('LambdaGcRunner', () => {
  it('invokes the gc Lambda with the run options and answers its report', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: bytes(report) });
    const runner = new LambdaGcRunner(new LambdaClient({}), 'ferry-gc');
    const options = { dryRun: true, policy: { rollbackDepth: 2 } };
    expect(await runner.run(options)).toEqual(report);
    const sent = lambda.commandCalls(InvokeCommand)[0]?.args[0].input;
    expect(sent?.FunctionName).toBe('ferry-gc');
    expect(JSON.parse(new TextDecoder().decode(sent?.Payload as Uint8Array))).toEqual(options);
  });

  it("raises the Lambda's own error message when the run failed", async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: bytes({
        errorType: 'Error',
        errorMessage: 'ecr:DescribeImages a failed: throttled',
      }),
    });
    await expect(new LambdaGcRunner(new LambdaClient({}), 'ferry-gc').run({})).rejects.toThrow(
      'lambda:InvokeFunction ferry-gc: Unhandled: ecr:DescribeImages a failed: throttled',
    );
  });

  it('refuses an answer that is not a report', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: bytes({ ok: true }) });
    await expect(new LambdaGcRunner(new LambdaClient({}), 'ferry-gc').run({})).rejects.toThrow();
  });
});

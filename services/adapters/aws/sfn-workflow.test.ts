/**
 * What the Workflow contract on moto (test/contracts/workflow.test.ts) cannot show: moto never
 * throttles.
 */
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { StepFunctionsWorkflow } from './sfn-workflow.ts';

const sfn = mockClient(SFNClient);
const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:ferry-deploy';

beforeEach(() => sfn.reset());

describe('Class: StepFunctionsWorkflow', () => {
  it('maps throttling to TransientError, so the API answers 503 and nothing runs', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    sfn.on(StartExecutionCommand).rejects(throttled);
    await expect(
      new StepFunctionsWorkflow(new SFNClient({}), ARN).start('d-1'),
    ).rejects.toMatchObject({ name: 'TransientError' });
  });
});

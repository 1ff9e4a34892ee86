import {
  ExecutionAlreadyExists,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { StepFunctionsWorkflow } from './sfn-workflow.ts';

const sfn = mockClient(SFNClient);
const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:ferry-deploy';

beforeEach(() => sfn.reset());

describe('Class: StepFunctionsWorkflow', () => {
  it('starts an execution named after the deployment with its id as input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:d-1`, startDate: new Date() });
    await new StepFunctionsWorkflow(new SFNClient({}), ARN).start('d-1');
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: ARN,
      name: 'd-1',
      input: '{"deploymentId":"d-1"}',
    });
  });

  it('treats an execution that already exists as started', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    await expect(
      new StepFunctionsWorkflow(new SFNClient({}), ARN).start('d-1'),
    ).resolves.toBeUndefined();
  });

  it('maps other failures to named errors', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(
        new StateMachineDoesNotExist({ message: 'gone', $metadata: { httpStatusCode: 400 } }),
      );
    await expect(
      new StepFunctionsWorkflow(new SFNClient({}), ARN).start('d-1'),
    ).rejects.toMatchObject({ name: 'InvalidRequestError' });
  });

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

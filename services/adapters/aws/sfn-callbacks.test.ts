// moto runs a real waiting task (success; unknown and spent tokens), but never answers TaskTimedOut or TaskDoesNotExist (it accepts a timed-out task's token while its execution runs) and never throttles: those answers come from aws-sdk-client-mock.
import 'aws-sdk-client-mock-vitest/extend';
import {
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  SFNServiceException,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MotoStepFunctions, startMotoStepFunctions } from '../../../test/support/moto-sfn.ts';
import type { HoldDecision } from '../../core/ports.ts';
import { SfnWorkflowCallbacks } from './sfn-callbacks.ts';

const ABORT: HoldDecision = { action: 'abort', by: 'arn:aws:iam::123456789012:role/oncall' };
const APPROVE: HoldDecision = { action: 'approve', by: 'U024BE7LH' };

describe("Class: SfnWorkflowCallbacks on moto's Step Functions", () => {
  let moto: MotoStepFunctions;
  let callbacks: SfnWorkflowCallbacks;
  beforeAll(async () => {
    moto = await startMotoStepFunctions();
    callbacks = new SfnWorkflowCallbacks(moto.client);
  });
  afterAll(() => moto?.close());

  it('ends the waiting task with the decision as its output, and answers true', async () => {
    const task = await moto.waitingTask();
    await expect(callbacks.resume(task.token, ABORT)).resolves.toBe(true);
    const ended = await moto.ended(task.executionArn);
    expect(ended.status).toBe('SUCCEEDED');
    expect(JSON.parse(String(ended.output))).toEqual(ABORT);
  });

  it('answers false for the token of a task that has already ended', async () => {
    const task = await moto.waitingTask();
    await callbacks.resume(task.token, APPROVE);
    await moto.ended(task.executionArn);
    await expect(callbacks.resume(task.token, ABORT)).resolves.toBe(false);
  });

  it('answers false for a token no task has', async () => {
    await expect(callbacks.resume('no-such-token', ABORT)).resolves.toBe(false);
  });
});

describe('Class: SfnWorkflowCallbacks (answers as Step Functions gives them)', () => {
  const client = new SFNClient({ region: 'eu-west-1' });
  const sfn = mockClient(client);
  const callbacks = new SfnWorkflowCallbacks(client);
  const metadata = { httpStatusCode: 400 };
  beforeEach(() => {
    sfn.reset();
  });

  it('sends the token and exactly the decision as the output', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    const decision = { ...APPROVE, note: 'not part of a decision' } as HoldDecision;
    await expect(callbacks.resume('token-1', decision)).resolves.toBe(true);
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, {
      taskToken: 'token-1',
      output: JSON.stringify(APPROVE),
    });
  });

  it.each([
    ['TaskTimedOut', new TaskTimedOut({ message: 'Task Timed Out', $metadata: metadata })],
    [
      'TaskDoesNotExist',
      new TaskDoesNotExist({ message: 'Task does not exist', $metadata: metadata }),
    ],
    ['InvalidToken', new InvalidToken({ message: 'Invalid token', $metadata: metadata })],
  ])('answers false when Step Functions says %s: the task has already ended', async (_, error) => {
    sfn.on(SendTaskSuccessCommand).rejects(error);
    await expect(callbacks.resume('token-1', ABORT)).resolves.toBe(false);
  });

  it('throws TransientError when Step Functions throttles or fails, without the token', async () => {
    const failure = (name: string, status: number) =>
      new SFNServiceException({
        name,
        $fault: status >= 500 ? 'server' : 'client',
        $metadata: { httpStatusCode: status },
        message: `${name} from Step Functions`,
      });
    sfn
      .on(SendTaskSuccessCommand)
      .rejectsOnce(failure('ThrottlingException', 400))
      .rejectsOnce(failure('ServiceUnavailable', 503));
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await callbacks.resume('secret-token', ABORT).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error).toMatchObject({
        name: 'TransientError',
        message: expect.stringContaining('states:SendTaskSuccess abort by'),
      });
      expect(error?.message).not.toContain('secret-token');
    }
  });

  it('throws AccessDeniedError when the role may not send task results', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(
      new SFNServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'not authorized to perform: states:SendTaskSuccess',
      }),
    );
    await expect(callbacks.resume('token-1', ABORT)).rejects.toMatchObject({
      name: 'AccessDeniedError',
    });
  });
});

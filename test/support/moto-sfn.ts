/**
 * Step Functions on moto's server with state machines that really run (moto's ASL interpreter,
 * switched on by its `execute_state_machine` setting): a `.waitForTaskToken` task waits until
 * SendTaskSuccess ends it or it times out. The interpreter makes the task's own call (here an
 * EventBridge PutEvents carrying the token) to the moto at MOTO_PORT; this moto listens on a port
 * picked at start, so a second moto answers that call. The token is read back from the
 * execution's history, as the task's scheduled parameters.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { type MotoServer, motoClientConfig, startMotoServer } from './moto.ts';

/** A task of a running execution, waiting for its callback. */
export interface WaitingTask {
  readonly token: string;
  readonly executionArn: string;
}

/** How an execution ended. */
export interface EndedExecution {
  readonly status: string;
  readonly output: string | undefined;
}

/** Step Functions on moto, running state machines: one execution at a time. */
export interface MotoStepFunctions {
  readonly client: SFNClient;
  /**
   * Starts an execution whose one task waits (up to a minute) for its callback, on a server
   * reset first: executions started before are gone (their tokens are unknown from then on).
   */
  waitingTask(): Promise<WaitingTask>;
  /** Waits until the execution has ended. */
  ended(executionArn: string): Promise<EndedExecution>;
  /** Destroys the client and stops both servers. */
  close(): Promise<void>;
}

const ROLE_ARN = 'arn:aws:iam::123456789012:role/ferry-workflow';
const POLL_MS = 50;
const PATIENCE_MS = 10_000;

/** A state machine whose only state is a callback task, as a hold of the deploy workflow is. */
const HOLD_DEFINITION = JSON.stringify({
  StartAt: 'Hold',
  States: {
    Hold: {
      Type: 'Task',
      Resource: 'arn:aws:states:::events:putEvents.waitForTaskToken',
      Parameters: {
        Entries: [
          { Source: 'ferry.test', DetailType: 'hold', Detail: { 'token.$': '$$.Task.Token' } },
        ],
      },
      TimeoutSeconds: 60,
      End: true,
    },
  },
});

/** Starts the two servers and switches state machine execution on. */
export async function startMotoStepFunctions(): Promise<MotoStepFunctions> {
  const servers: MotoServer[] = [];
  const stop = () => Promise.all(servers.map((server) => server.close()));
  try {
    const integrations = await startMotoServer();
    servers.push(integrations);
    const sfn = await startMotoServer({ env: { MOTO_PORT: new URL(integrations.endpoint).port } });
    servers.push(sfn);
    await moto(sfn, 'config', { stepfunctions: { execute_state_machine: true } });
    const client = new SFNClient(motoClientConfig(sfn.endpoint));
    return {
      client,
      waitingTask: async () => {
        // moto 5.2 deep-copies its whole backend into each new execution, which fails (a lock
        // cannot be copied) once any execution has run: so one execution per reset server.
        await moto(sfn, 'reset');
        const created = await client.send(
          new CreateStateMachineCommand({
            name: 'hold',
            definition: HOLD_DEFINITION,
            roleArn: ROLE_ARN,
          }),
        );
        const started = await client.send(
          new StartExecutionCommand({ stateMachineArn: created.stateMachineArn, input: '{}' }),
        );
        const executionArn = String(started.executionArn);
        return { executionArn, token: await scheduledToken(client, executionArn) };
      },
      ended: (executionArn) => endedExecution(client, executionArn),
      close: async () => {
        client.destroy();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Calls moto's own API (`/moto-api/<action>`). */
async function moto(server: MotoServer, action: 'config' | 'reset', body?: object): Promise<void> {
  const response = await fetch(`${server.endpoint}/moto-api/${action}`, {
    method: 'POST',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`moto-api/${action}: ${response.status}`);
}

/** The token the execution's task was scheduled with, once its call has been made. */
async function scheduledToken(client: SFNClient, executionArn: string): Promise<string> {
  for (let waited = 0; waited < PATIENCE_MS; waited += POLL_MS) {
    const { events = [] } = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    const failed = events.find((e) => e.type === 'TaskFailed' || e.type === 'ExecutionFailed');
    if (failed) throw new Error(`the waiting task failed: ${JSON.stringify(failed)}`);
    // Submitted: the task's call went out, so it now waits for its callback.
    const submitted = events.some((e) => e.type === 'TaskSubmitted');
    const parameters = events.find((e) => e.type === 'TaskScheduled')?.taskScheduledEventDetails
      ?.parameters;
    if (submitted && parameters) {
      const token = JSON.parse(parameters).Entries?.[0]?.Detail?.token;
      if (typeof token === 'string') return token;
    }
    await sleep(POLL_MS);
  }
  throw new Error(`execution ${executionArn} never reached its waiting task`);
}

async function endedExecution(client: SFNClient, executionArn: string): Promise<EndedExecution> {
  for (let waited = 0; waited < PATIENCE_MS; waited += POLL_MS) {
    const { status, output } = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (status !== 'RUNNING') return { status: String(status), output };
    await sleep(POLL_MS);
  }
  throw new Error(`execution ${executionArn} is still running`);
}

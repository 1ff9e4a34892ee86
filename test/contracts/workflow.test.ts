/**
 * The Workflow contract against both implementations: the Step Functions adapter on moto's
 * Step Functions, and local mode's in-process runner.
 */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SFNClient,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe } from 'vitest';
import { InProcessWorkflow } from '../../local/in-process-workflow.ts';
import type { ExecutionOutcome, LocalWorkflow } from '../../local/workflow-runner.ts';
import { StepFunctionsWorkflow } from '../../services/adapters/aws/sfn-workflow.ts';
import { silentLogger } from '../../services/core/logger.ts';
import { type MotoServer, motoClientConfig, startMotoServer } from '../support/moto.ts';
import { describeWorkflowContract, type StartedExecution } from './workflow.contract.ts';

describe('moto', () => {
  let moto: MotoServer;
  let client: SFNClient;
  let made = 0;
  beforeAll(async () => {
    moto = await startMotoServer();
    client = new SFNClient(motoClientConfig(moto.endpoint));
  });
  afterAll(async () => {
    client?.destroy();
    await moto?.close();
  });
  describeWorkflowContract({
    name: 'step functions',
    make: async () => {
      // moto records executions without running them (its interpreter is off by default), so
      // each stays RUNNING until the test stops it.
      const { stateMachineArn = '' } = await client.send(
        new CreateStateMachineCommand({
          name: `deploy-${++made}`,
          definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
          roleArn: 'arn:aws:iam::123456789012:role/ferry-workflow',
        }),
      );
      const arnOf = (name: string) =>
        `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
      return {
        workflow: new StepFunctionsWorkflow(client, stateMachineArn),
        executions: async () => {
          const { executions = [] } = await client.send(
            new ListExecutionsCommand({ stateMachineArn }),
          );
          const started: StartedExecution[] = [];
          for (const { executionArn, name = '' } of executions.reverse()) {
            const { input } = await client.send(new DescribeExecutionCommand({ executionArn }));
            started.push({ name, input: JSON.parse(input ?? 'null') });
          }
          return started;
        },
        end: async (name) => {
          await client.send(new StopExecutionCommand({ executionArn: arnOf(name) }));
        },
        missing: () =>
          new StepFunctionsWorkflow(client, `${stateMachineArn.replace(/-\d+$/, '')}-gone`),
      };
    },
  });
});

describe('in-process', () => {
  describeWorkflowContract({
    name: 'in-process',
    make: async () => {
      // The runner stands in for the ASL run (the workflow tests run the real one): what the
      // port promises is how starts map to runs, which is InProcessWorkflow's own.
      const runs: StartedExecution[] = [];
      const finish = new Map<string, (outcome: ExecutionOutcome) => void>();
      const runner: LocalWorkflow = {
        run: (deploymentId) =>
          new Promise((resolve) => {
            // The runner is given the id alone and builds the ASL's input `{deploymentId}` from it.
            runs.push({ name: deploymentId, input: { deploymentId } });
            finish.set(deploymentId, resolve);
          }),
      };
      const workflow = new InProcessWorkflow(runner, silentLogger);
      return {
        workflow,
        executions: async () => [...runs],
        end: async (name) => {
          finish.get(name)?.({ status: 'SUCCEEDED', retries: {}, path: [] });
          await workflow.idle();
        },
      };
    },
    gaps: {
      'missing-workflow':
        'the in-process workflow is the definition file, loaded once at start: there is none to be missing',
    },
  });
});

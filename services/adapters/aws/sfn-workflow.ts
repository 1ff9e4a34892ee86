import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Workflow } from '../../core/ports.ts';
import { toFerryError } from './aws-errors.ts';

/** The deploy workflow on Step Functions: one execution per deployment, named after it. */
export class StepFunctionsWorkflow implements Workflow {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(deploymentId: string): Promise<void> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          // The execution name is the deployment id: Step Functions refuses a second execution with
          // the same name (and input), so a retried start can never run a deployment twice.
          name: deploymentId,
          input: JSON.stringify({ deploymentId }),
        }),
      );
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return;
      throw toFerryError(error, `states:StartExecution ${deploymentId}`);
    }
  }
}

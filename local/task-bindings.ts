/**
 * The local runner's Task bindings that are not plain worker calls: each Task's logger keyed by
 * its deployment and step, and the `.waitForTaskToken` tasks (a step's hold, the approval) that
 * wait on local callbacks.
 */
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { withLogKeys } from '../services/core/logger.ts';
import type { WorkerStep } from '../services/core/steps.ts';
import { deploymentIdOf } from '../services/workers/deployment-id.ts';
import type { WorkerDeps } from '../services/workers/deps.ts';
import { workerEntries } from '../services/workers/index.ts';
import type { LocalWorkflowCallbacks } from './workflow-callbacks.ts';

/**
 * A Task's deps: every line it logs carries its deployment id and step, as a worker Lambda's
 * lines carry the deployment id and function name. Bound per Task, since executions overlap.
 */
export function invocationDeps(deps: WorkerDeps, step: WorkerStep, input: unknown): WorkerDeps {
  const deploymentId = deploymentIdOf(input);
  const keys = deploymentId ? { deploymentId, step } : { step };
  return { ...deps, logger: withLogKeys(deps.logger, keys) };
}

/** States invoked with `.waitForTaskToken`: their Parameters are `{ FunctionName, Payload }`. */
export const CALLBACK_STATES: ReadonlySet<WorkerStep> = new Set(['Hold', 'AwaitApproval']);

/**
 * A `.waitForTaskToken` task: the worker gets a token of its own (as each task does on AWS),
 * then the task waits for it to be resumed, or for its timeout (an error named States.Timeout).
 */
export async function waitForCallback(
  step: WorkerStep,
  input: unknown,
  deps: WorkerDeps,
  callbacks: LocalWorkflowCallbacks,
  timeScale: number,
): Promise<unknown> {
  const payload = (input as { Payload?: Record<string, unknown> }).Payload ?? {};
  const token = callbacks.newToken(step);
  const event = { ...payload, taskToken: token };
  const timeoutSeconds = Number(payload.timeoutSeconds) * timeScale;
  return callbacks.wait(token, timeoutSeconds, () =>
    workerEntries[step](event, invocationDeps(deps, step, event)),
  );
}

type CallbackState = {
  Resource?: string;
  TimeoutSecondsPath?: string;
  Parameters?: { Payload?: Record<string, unknown> };
};

/**
 * Step Functions resolves a Task's TimeoutSecondsPath against the state's input; the library
 * resolves it against the input after Parameters. Each callback task passes its worker the same
 * path as `Payload.timeoutSeconds`, so pointing the library there waits exactly as long.
 */
export function resolveCallbackTimeouts(
  definition: StateMachineDefinition,
): StateMachineDefinition {
  const copy = structuredClone(definition);
  for (const [name, raw] of Object.entries(copy.States)) {
    const state = raw as CallbackState;
    if (!state.Resource?.endsWith('.waitForTaskToken') || !state.TimeoutSecondsPath) continue;
    if (state.Parameters?.Payload?.['timeoutSeconds.$'] !== state.TimeoutSecondsPath) {
      throw new Error(
        `${name}: a callback task must pass its TimeoutSecondsPath to its worker as Payload.timeoutSeconds`,
      );
    }
    state.TimeoutSecondsPath = '$.Payload.timeoutSeconds';
  }
  return copy;
}

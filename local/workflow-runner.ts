/**
 * Runs the real `statemachine/deploy.asl.json` in-process with aws-local-stepfunctions: each
 * worker Task bound to its worker core (services/workers/index.ts) with the given deps, the
 * CodeBuild Task bound to a `Builder`. Used by local mode and by the workflow tests.
 */
import './polyfills.ts';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { withLogKeys } from '../services/core/logger.ts';
import { WORKER_STEPS, type WorkerStep } from '../services/core/steps.ts';
import { deploymentIdOf } from '../services/workers/deployment-id.ts';
import type { WorkerDeps } from '../services/workers/deps.ts';
import { workerEntries } from '../services/workers/index.ts';
import {
  deploySubstitutions,
  exampleSubstitutionInputs,
  loadDeployDefinition,
} from '../statemachine/substitutions.ts';

/** What the ASL passes the Build Task (CodeBuild `StartBuild` parameters). */
export interface BuildRequest {
  readonly ProjectName: string;
  readonly EnvironmentVariablesOverride: ReadonlyArray<{
    Name: string;
    Value: string;
    Type: string;
  }>;
}

/** The part of CodeBuild's `Build` the ASL's ResultSelector reads. */
export interface BuildOutcome {
  readonly Build: {
    readonly Id: string;
    readonly BuildStatus: 'SUCCEEDED';
    readonly StartTime: number | string;
    readonly EndTime: number | string;
    readonly Logs: { readonly DeepLink?: string };
  };
}

/** Builds and pushes a candidate image; throws (name `States.TaskFailed`, like .sync) when the build fails. */
export type Builder = (request: BuildRequest) => Promise<BuildOutcome>;

/** How an execution ended. */
export interface ExecutionOutcome {
  readonly status: 'SUCCEEDED' | 'FAILED';
  /** The Fail state's error (the deployment outcome) when FAILED. */
  readonly error?: string;
  readonly cause?: string;
  readonly output?: unknown;
  /** Retries per state, for tests and the bench. */
  readonly retries: Readonly<Record<string, number>>;
  /** States entered, in order. */
  readonly path: readonly string[];
}

/** Options for a local workflow. */
export interface LocalWorkflowOptions {
  /** The deps every worker gets, or a function giving each step its own (fault injection). */
  readonly deps: WorkerDeps | ((step: WorkerStep) => WorkerDeps);
  readonly builder: Builder;
  /** Seconds between retries; 0 in tests. @default the definition's backoff */
  readonly retryIntervalSeconds?: number;
}

/** The deploy workflow bound to local deps. */
export interface LocalWorkflow {
  run(deploymentId: string): Promise<ExecutionOutcome>;
}

/**
 * A Task's deps: every line it logs carries its deployment id and step, as a worker Lambda's
 * lines carry the deployment id and function name. Bound per Task, since executions overlap.
 */
function invocationDeps(deps: WorkerDeps, step: WorkerStep, input: unknown): WorkerDeps {
  const deploymentId = deploymentIdOf(input);
  const keys = deploymentId ? { deploymentId, step } : { step };
  return { ...deps, logger: withLogKeys(deps.logger, keys) };
}

/** Creates the local deploy workflow from the real definition file. */
export function createLocalWorkflow(options: LocalWorkflowOptions): LocalWorkflow {
  const definition = loadDeployDefinition(
    deploySubstitutions(exampleSubstitutionInputs()),
  ) as unknown as StateMachineDefinition;
  const machine = new StateMachine(definition, {
    validationOptions: { checkArn: true, checkPaths: true },
  });
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {
    Build: (input) => options.builder(input as BuildRequest),
  };
  for (const step of WORKER_STEPS) {
    const deps = typeof options.deps === 'function' ? options.deps(step) : options.deps;
    handlers[step] = (input) => workerEntries[step](input, invocationDeps(deps, step, input));
  }
  const retryIntervalOverrides =
    options.retryIntervalSeconds === undefined
      ? undefined
      : Object.fromEntries(
          Object.keys(definition.States).map((s) => [s, options.retryIntervalSeconds as number]),
        );

  return {
    async run(deploymentId) {
      const execution = machine.run(
        { deploymentId },
        {
          overrides: {
            // The library's handler type is JSON in / JSON out; ours are the same at runtime.
            taskResourceLocalHandlers: handlers as never,
            ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}),
          },
        },
      );
      const retries: Record<string, number> = {};
      const path: string[] = [];
      const collecting = (async () => {
        for await (const event of execution.eventLogs) {
          if (event.type === 'StateEntered') path.push(event.state.name);
          if (event.type === 'StateRetried')
            retries[event.state.name] = (retries[event.state.name] ?? 0) + 1;
        }
      })();
      try {
        const output = await execution.result;
        await collecting;
        return { status: 'SUCCEEDED', output, retries, path };
      } catch (error) {
        await collecting.catch(() => undefined);
        const failure = (error as { cause?: { name?: string; message?: string } }).cause;
        return {
          status: 'FAILED',
          error: failure?.name ?? (error as Error).name,
          cause: failure?.message ?? (error as Error).message,
          retries,
          path,
        };
      }
    },
  };
}

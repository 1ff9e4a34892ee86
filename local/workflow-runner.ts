/**
 * Runs the real `statemachine/deploy.asl.json` in-process with aws-local-stepfunctions: each
 * worker Task bound to its worker core (services/workers/index.ts) with the given deps, the
 * CodeBuild Task bound to a `Builder`. Used by local mode and by the workflow tests.
 */
import './polyfills.ts';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { silentLogger } from '../services/core/logger.ts';
import { WORKER_STEPS, type WorkerStep } from '../services/core/steps.ts';
import type { WorkerDeps } from '../services/workers/deps.ts';
import { workerEntries } from '../services/workers/index.ts';
import {
  deploySubstitutions,
  exampleSubstitutionInputs,
  loadDeployDefinition,
} from '../statemachine/substitutions.ts';
import type { ExecutionJournal } from './execution-journal.ts';
import { ExecutionTracker } from './execution-tracker.ts';
import {
  CALLBACK_STATES,
  invocationDeps,
  resolveCallbackTimeouts,
  waitForCallback,
} from './task-bindings.ts';
import { LocalWorkflowCallbacks } from './workflow-callbacks.ts';

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
  /** STOPPED: `stopAt` stopped it, as a kill would (its journal stays for the next start). */
  readonly status: 'SUCCEEDED' | 'FAILED' | 'STOPPED';
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
  /**
   * Where the callback tasks (a step's hold, the approval) wait: the same object the workers'
   * and the API's `callbacks` resume. @default a private one (nothing outside can resume)
   */
  readonly callbacks?: LocalWorkflowCallbacks;
  /**
   * Scales the callback tasks' waits (tests: 0.05 makes a 1 s hold 50 ms; the library's own
   * timer, at the full length, never fires first). @default 1
   */
  readonly callbackTimeScale?: number;
  /** Where each execution's last entered state is kept until it ends. @default - none kept */
  readonly journal?: ExecutionJournal;
}

/** Where an execution starts other than at the definition's StartAt, and with what state object. */
export interface StartPoint {
  readonly startAt: string;
  readonly input: Record<string, unknown>;
}

/** How to run one execution. */
export interface RunOptions {
  /** Start here instead (restart recovery): the same definition, another StartAt. */
  readonly from?: StartPoint;
  /** Tests: stop as the execution enters this state, leaving its side effects and journal as a kill would. */
  readonly stopAt?: string;
}

/** The deploy workflow bound to local deps. */
export interface LocalWorkflow {
  run(deploymentId: string, options?: RunOptions): Promise<ExecutionOutcome>;
}

/** FinalizeFailed ends an execution whose record may be unfinished: its journal is kept for the next start. */
const KEEP_JOURNAL_AFTER: ReadonlySet<string> = new Set(['FinalizeFailed']);

/** Creates the local deploy workflow from the real definition file. */
export function createLocalWorkflow(options: LocalWorkflowOptions): LocalWorkflow {
  const definition = resolveCallbackTimeouts(
    loadDeployDefinition(
      deploySubstitutions(exampleSubstitutionInputs()),
    ) as unknown as StateMachineDefinition,
  );
  const machine = new StateMachine(definition, {
    validationOptions: { checkArn: true, checkPaths: true },
  });
  // The definition above is validated; a copy differing only in StartAt needs no second check.
  const machines = new Map<string, StateMachine>([[definition.StartAt, machine]]);
  const machineFrom = (startAt: string): StateMachine => {
    if (!definition.States[startAt]) throw new Error(`the deploy workflow has no state ${startAt}`);
    let from = machines.get(startAt);
    if (!from) {
      from = new StateMachine(
        { ...definition, StartAt: startAt },
        { validationOptions: { noValidate: true } },
      );
      machines.set(startAt, from);
    }
    return from;
  };
  // Only the journal logs here (a write that failed); per-step deps are not asked for without one.
  const logger =
    typeof options.deps !== 'function'
      ? options.deps.logger
      : options.journal
        ? options.deps('Prepare').logger
        : silentLogger;
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {
    Build: (input) => options.builder(input as BuildRequest),
  };
  const callbacks = options.callbacks ?? new LocalWorkflowCallbacks();
  for (const step of WORKER_STEPS) {
    const deps = typeof options.deps === 'function' ? options.deps(step) : options.deps;
    const callbackTask = CALLBACK_STATES.has(step);
    handlers[step] = callbackTask
      ? (input) => waitForCallback(step, input, deps, callbacks, options.callbackTimeScale ?? 1)
      : (input) => workerEntries[step](input, invocationDeps(deps, step, input));
  }
  // Scaled waits scale the Wait states too (provisioning polls), so tests do not sleep whole seconds.
  const scale = options.callbackTimeScale;
  const waitTimeOverrides =
    scale === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(definition.States)
            .filter(([, state]) => state.Type === 'Wait')
            .map(([name]) => [name, Math.round(1000 * scale)]),
        );
  const retryIntervalOverrides =
    options.retryIntervalSeconds === undefined
      ? undefined
      : Object.fromEntries(
          Object.keys(definition.States).map((s) => [s, options.retryIntervalSeconds as number]),
        );

  /** Each Task waits for the journal to hold its state (and for a stop) before it does anything. */
  const gated = (tracker: ExecutionTracker) =>
    Object.fromEntries(
      Object.entries(handlers).map(([state, handler]) => [
        state,
        async (input: unknown) => {
          await tracker.beforeTask();
          return handler(input);
        },
      ]),
    );

  return {
    async run(deploymentId, runOptions = {}) {
      const { from, stopAt } = runOptions;
      const tracker = new ExecutionTracker(deploymentId, options.journal, logger, stopAt);
      const tracked = options.journal !== undefined || stopAt !== undefined;
      const execution = machineFrom(from?.startAt ?? definition.StartAt).run(
        (from?.input ?? { deploymentId }) as never,
        {
          overrides: {
            // The library's handler type is JSON in / JSON out; ours are the same at runtime.
            taskResourceLocalHandlers: (tracked ? gated(tracker) : handlers) as never,
            ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}),
            ...(waitTimeOverrides ? { waitTimeOverrides } : {}),
          },
          // `$$.Task.Token` must resolve; each callback task replaces it with its own token.
          context: { Task: { Token: 'local' } },
        },
      );
      const following = tracker.follow(execution);
      const { path, retries } = tracker;
      try {
        const output = await execution.result;
        await following;
        await tracker.end(false);
        return tracker.stopped
          ? { status: 'STOPPED', retries, path }
          : { status: 'SUCCEEDED', output, retries, path };
      } catch (error) {
        await following.catch(() => undefined);
        await tracker.end(KEEP_JOURNAL_AFTER.has(path.at(-1) ?? ''));
        if (tracker.stopped) return { status: 'STOPPED', retries, path };
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

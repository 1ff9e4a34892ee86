/**
 * The deploy definition on a second, independent ASL interpreter: moto's Step Functions (a port
 * of LocalStack's), its Task calls answered by the real worker cores over the test world's fakes
 * through a Lambda Invoke stand-in. Each main route runs on both interpreters — moto's and
 * aws-local-stepfunctions (what local mode runs) — from identical worlds, and must end the same:
 * execution status and error, the states entered, the record and the function.
 *
 * One deviation, here only: retry waits are cut to 1 s on moto (it sleeps them for real; the
 * local runner is given 0 s the same way), which changes when a retry happens, not whether.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invocationDeps } from '../../local/task-bindings.ts';
import { TransientError } from '../../services/core/errors.ts';
import { WORKER_STEPS, type WorkerStep } from '../../services/core/steps.ts';
import type { WorkerDeps } from '../../services/workers/deps.ts';
import { workerEntries } from '../../services/workers/index.ts';
import {
  deploySubstitutions,
  exampleSubstitutionInputs,
  loadDeployDefinition,
} from '../../statemachine/substitutions.ts';
import {
  type LambdaInvokeStandIn,
  startLambdaInvokeStandIn,
} from '../support/lambda-invoke-stand-in.ts';
import { type MotoServer, motoClientConfig, startMotoServer } from '../support/moto.ts';
import { FaultInjector } from './faults.ts';
import { appRef, createWorld, FN, type World } from './world.ts';

const MiB = 1024 * 1024;
const ROLE_ARN = 'arn:aws:iam::123456789012:role/ferry-workflow';

interface Route {
  readonly name: string;
  /** Prepares the world; returns the deployment and, when faults are injected, per-step deps. */
  setup(world: World): Promise<{ id: string; deps?: (step: WorkerStep) => WorkerDeps }>;
}

const image = async (world: World) => ({ id: await world.request({ image: appRef('v2') }) });
const failingSmoke = (world: World) =>
  world.functions.behaviors.set(world.pushApp('v2'), () => ({
    functionError: 'Unhandled',
    payload: { errorType: 'TypeError', errorMessage: 'boom' },
  }));

const routes: Route[] = [
  {
    name: 'success',
    setup: (world) => {
      world.pushApp('v2');
      return image(world);
    },
  },
  {
    name: 'size rejected',
    setup: (world) => {
      world.pushApp('v2', {
        layers: [{ sizeBytes: 300 * MiB, createdBy: 'RUN apt-get install -y gcc' }],
      });
      return image(world);
    },
  },
  {
    name: 'smoke failed → ROLLED_BACK',
    setup: (world) => {
      failingSmoke(world);
      return image(world);
    },
  },
  {
    name: 'cold start rejected → REJECTED',
    setup: async (world) => {
      await world.recordLiveInit(200, [200, 200, 200, 200, 200]);
      const digest = world.pushApp('v2');
      world.functions.behaviors.set(digest, () => ({ payload: { ok: true }, initDurationMs: 900 }));
      return image(world);
    },
  },
  {
    name: 'update error → Rollback',
    setup: (world) => {
      world.functions.updateStatus.set(world.pushApp('v2'), 'Failed');
      return image(world);
    },
  },
  {
    name: 'Prepare conflict → FAILED',
    setup: async (world) => {
      world.pushApp('v2');
      await world.store.acquireLock(
        FN,
        'd-OTHER',
        Math.floor(world.clock.now().getTime() / 1000),
        600,
      );
      return image(world);
    },
  },
  {
    name: 'one transient error retried',
    setup: async (world) => {
      world.pushApp('v2');
      const faults = new FaultInjector([
        {
          step: 'UpdateFunction',
          port: 'functions',
          method: 'updateCode',
          occurrence: 1,
          kind: 'transient',
        },
      ]);
      return { ...(await image(world)), deps: faults.depsFor(world.deps) };
    },
  },
  {
    name: 'rollback failing → ROLLBACK_FAILED',
    setup: (world) => {
      failingSmoke(world);
      world.functions.updateStatus.set(world.liveDigest, 'Failed');
      return image(world);
    },
  },
  {
    name: 'Finalize failing',
    setup: async (world) => {
      world.pushApp('v2');
      const down = {
        notify: async () => {
          throw new TransientError('slack message not delivered');
        },
      };
      return { ...(await image(world)), deps: () => ({ ...world.deps, notifier: down }) };
    },
  },
];

/** The definition as the stack deploys it, its retry waits cut to 1 s (see module doc). */
function motoDefinition(): string {
  const definition = loadDeployDefinition(deploySubstitutions(exampleSubstitutionInputs()));
  const text = JSON.stringify(definition, (key, value) =>
    key === 'IntervalSeconds' || key === 'MaxDelaySeconds' ? 1 : value,
  );
  return text;
}

const STEP_OF = new Map(WORKER_STEPS.map((step) => [`ferry-${step}`, step]));

let moto: MotoServer;
let lambda: LambdaInvokeStandIn;
let sfn: SFNClient;
/** The deps the stand-in answers with: the world of the route running on moto now. */
let current: ((step: WorkerStep) => WorkerDeps) | null = null;

beforeAll(async () => {
  lambda = await startLambdaInvokeStandIn(async (functionName, payload) => {
    const step = STEP_OF.get(functionName);
    if (!step || !current) throw new Error(`no worker ${functionName}`);
    return workerEntries[step](payload, invocationDeps(current(step), step, payload));
  });
  moto = await startMotoServer({ env: { MOTO_PORT: String(lambda.port) } });
  await motoApi('config', { stepfunctions: { execute_state_machine: true } });
  sfn = new SFNClient(motoClientConfig(moto.endpoint));
}, 60_000);
afterAll(async () => {
  sfn?.destroy();
  await moto?.close();
  await lambda?.close();
});

async function motoApi(action: 'config' | 'reset', body?: object): Promise<void> {
  const res = await fetch(`${moto.endpoint}/moto-api/${action}`, {
    method: 'POST',
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`moto-api/${action}: ${res.status}`);
}

/** What both interpreters must agree on. */
async function endState(
  world: World,
  id: string,
  status: string,
  error: string | undefined,
  path: readonly string[],
) {
  const d = await world.record(id);
  return {
    status,
    error: error ?? null,
    path,
    record: {
      status: d.status,
      reason: d.reason ?? null,
      steps: d.steps.map((s) => `${s.name}:${s.outcome}`),
    },
    function: await world.functionState(),
    lock: await world.store.getLock(FN),
  };
}

async function onLocal(route: Route) {
  const world = createWorld();
  const { id, deps } = await route.setup(world);
  const outcome = await world.run(id, deps);
  return endState(world, id, outcome.status, outcome.error, outcome.path);
}

async function onMoto(route: Route) {
  const world = createWorld();
  const { id, deps } = await route.setup(world);
  current = deps ?? (() => world.deps);
  // moto copies its whole backend into each new execution, which fails once one has run.
  await motoApi('reset');
  const { stateMachineArn } = await sfn.send(
    new CreateStateMachineCommand({
      name: 'ferry-deploy',
      definition: motoDefinition(),
      roleArn: ROLE_ARN,
    }),
  );
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn,
      name: id,
      input: JSON.stringify({ deploymentId: id }),
    }),
  );
  for (let waited = 0; ; waited += 100) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== 'RUNNING') {
      const events: HistoryEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken }));
        events.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      const path = events.flatMap((e) =>
        e.stateEnteredEventDetails?.name ? [e.stateEnteredEventDetails.name] : [],
      );
      return endState(world, id, String(execution.status), execution.error, path);
    }
    if (waited > 60_000) throw new Error(`execution ${id} still running on moto`);
    await sleep(100);
  }
}

describe("The deploy definition on moto's interpreter and on aws-local-stepfunctions", () => {
  it.each(routes.map((r) => [r.name, r] as const))(
    '%s: both end the same',
    async (_name, route) => {
      const local = await onLocal(route);
      const other = await onMoto(route);
      expect(other).toEqual(local);
    },
    120_000,
  );
});

/**
 * Fault matrix: for every port call each worker makes on each path (release from an image,
 * release from source, smoke failure → rollback, cold-start gate failure against the recorded and
 * against the side-by-side baseline → $LATEST restored and REJECTED; a healthy linear release, a
 * canary its judge rolls back, a canary with an alarm and approval given, a canary with provisioned
 * concurrency, an abort during a step), inject each fault kind once
 * and run the real workflow. Every run must end consistent: released whole or untouched/rolled
 * back, the lock released, a record that says why, and the outcome announced once.
 */
import { describe, expect, it } from 'vitest';
import { isTerminal } from '../../services/core/deployment.ts';
import { provisioningPlans } from '../fakes/fake-provisioning.ts';
import { healthy } from '../fakes/scripted-version-health.ts';
import { abortWhenHeld, approveWhenAsked } from './deciders.ts';
import { type CallSite, FAULT_KINDS, type Fault, FaultInjector } from './faults.ts';
import { appRef, createWorld, FN, finalizedLines, type World } from './world.ts';

interface Scenario {
  readonly name: string;
  /** Provisioned concurrency is configured: the old version has it, the new one gets it. */
  readonly provisioned?: boolean;
  readonly expected: 'SUCCEEDED' | 'ROLLED_BACK' | 'REJECTED';
  /** The world's options (function settings). */
  readonly world?: Parameters<typeof createWorld>[0];
  /** Sets the world up and files the deployment; returns its id and the digest it releases. */
  setup(world: World): Promise<{ id: string; digest: string | null }>;
}

const scenarios: Scenario[] = [
  {
    name: 'image',
    expected: 'SUCCEEDED',
    async setup(world) {
      const digest = world.pushApp('v2');
      return { id: await world.request({ image: appRef('v2') }), digest };
    },
  },
  {
    name: 'source',
    expected: 'SUCCEEDED',
    async setup(world) {
      return {
        id: await world.request({ source: { url: 'https://git.example.com/acme/orders.git' } }),
        digest: null,
      };
    },
  },
  {
    name: 'smoke-fails',
    expected: 'ROLLED_BACK',
    async setup(world) {
      const digest = world.pushApp('v2');
      world.functions.behaviors.set(digest, () => ({
        functionError: 'Unhandled',
        payload: { errorMessage: 'boom' },
      }));
      return { id: await world.request({ image: appRef('v2') }), digest };
    },
  },
  {
    // The version works but its cold start grew 4.5× (+700 ms) over the live release's: the
    // gate rejects it after $LATEST is restored. A retried step must not turn this into a
    // release (its retry would invoke a warm version with no Init Duration).
    name: 'cold-start-gate',
    expected: 'REJECTED',
    world: { settings: { coldStart: { maxInitGrowthRatio: 1.5, minInitDeltaMs: 50 } } },
    async setup(world) {
      await world.recordLiveInit(200, [200, 200, 200, 200, 200]);
      const digest = world.pushApp('v2');
      world.functions.behaviors.set(digest, () => ({ payload: { ok: true }, initDurationMs: 900 }));
      return { id: await world.request({ image: appRef('v2') }), digest };
    },
  },
  {
    // The same, measured side by side with the live version (the local host's capability): its
    // verdict is recorded for the digest, and a retried step must not lose it.
    name: 'cold-start-paired',
    expected: 'REJECTED',
    world: { pairedColdStarts: true },
    async setup(world) {
      const digest = world.pushApp('v2');
      world.functions.behaviors.set(digest, () => ({ payload: { ok: true }, initDurationMs: 900 }));
      return { id: await world.request({ image: appRef('v2') }), digest };
    },
  },
  {
    name: 'linear-healthy',
    expected: 'SUCCEEDED',
    world: { settings: { release: { strategy: 'linear', percent: 50, intervalSeconds: 1 } } },
    async setup(world) {
      const digest = world.pushApp('v2');
      world.versionHealth.script('2', healthy(30));
      world.versionHealth.script('1', healthy(30));
      return { id: await world.request({ image: appRef('v2') }), digest };
    },
  },
  {
    name: 'canary-judged-failing',
    expected: 'ROLLED_BACK',
    world: { settings: { release: { strategy: 'canary', percent: 25, intervalSeconds: 1 } } },
    async setup(world) {
      const digest = world.pushApp('v2');
      world.versionHealth.script('2', healthy(24, 12));
      return { id: await world.request({ image: appRef('v2') }), digest };
    },
  },
  {
    name: 'canary-alarm-approved',
    expected: 'SUCCEEDED',
    world: {
      settings: {
        release: { strategy: 'canary', percent: 25, intervalSeconds: 1 },
        judge: { alarms: ['orders-5xx'] },
        approval: { required: true },
      },
    },
    async setup(world) {
      const digest = world.pushApp('v2');
      world.alarms.set('orders-5xx', 'OK');
      world.versionHealth.script('2', healthy(30));
      approveWhenAsked(world, 'dana');
      return { id: await world.request({ image: appRef('v2') }), digest };
    },
  },
  {
    name: 'canary-provisioned',
    expected: 'SUCCEEDED',
    provisioned: true,
    world: {
      settings: {
        release: { strategy: 'canary', percent: 25, intervalSeconds: 1 },
        provisionedConcurrency: 2,
      },
    },
    async setup(world) {
      const digest = world.pushApp('v2');
      world.functions.provisioning.plans.set(digest, provisioningPlans.slow(2));
      await world.functions.putProvisionedConcurrency(FN, '1', 2);
      world.versionHealth.script('2', healthy(30));
      return { id: await world.request({ image: appRef('v2') }), digest };
    },
  },
  {
    name: 'abort-during-step',
    expected: 'ROLLED_BACK',
    world: { settings: { release: { strategy: 'canary', percent: 25, intervalSeconds: 600 } } },
    async setup(world) {
      const digest = world.pushApp('v2');
      abortWhenHeld(world, 'erin');
      return { id: await world.request({ image: appRef('v2') }), digest };
    },
  },
];

/** A scenario's world, its release waits cut short: a 1 s step holds 5 ms. */
function worldOptions(scenario: Scenario): Parameters<typeof createWorld>[0] {
  return { timeScale: 0.005, ...scenario.world };
}

/**
 * Why the outcome was not announced exactly once, or null: one terminal notification (critical
 * for ROLLBACK_FAILED; none only when Finalize's notifier call itself failed for good, which is
 * logged and not retried) and one counted `deployment finalized` line.
 */
function announcement(
  world: World,
  lines: readonly Record<string, unknown>[],
  status: string,
  fault: Fault,
): string | null {
  const sent = world.notifier.sent.filter((n) => isTerminal(n.status));
  const lostForGood =
    fault.step === 'Finalize' && fault.port === 'notifier' && fault.kind !== 'transient';
  const expected = lostForGood ? 0 : 1;
  if (sent.length !== expected || sent.some((n) => n.status !== status))
    return `${sent.length} ${status} notifications (${sent.map((n) => n.status)}), expected ${expected}`;
  if (sent.some((n) => n.critical !== (status === 'ROLLBACK_FAILED'))) return 'critical flag wrong';
  const counted = lines.filter((l) => l.written === true);
  if (counted.length !== 1 || counted[0]?.status !== status)
    return `${counted.length} counted 'deployment finalized' lines`;
  return null;
}

/**
 * Provisioned concurrency as a finished run must leave it: released — on the new version, gone
 * from the old one (unless removing it was the fault: Finalize leaves it, logged); not released
 * — the new version's gone, the old version's untouched.
 */
async function provisioningProblem(
  world: World,
  status: string,
  released: string | null,
  fault: Fault,
): Promise<string | null> {
  const old = await world.functions.getProvisionedConcurrency(FN, '1');
  const fresh =
    released && released !== '1'
      ? await world.functions.getProvisionedConcurrency(FN, released)
      : null;
  if (status === 'SUCCEEDED') {
    if (!fresh) return 'SUCCEEDED without provisioned concurrency on the new version';
    const removalFaulted =
      fault.step === 'Finalize' && fault.method === 'deleteProvisionedConcurrency';
    if (old && !removalFaulted)
      return 'SUCCEEDED but the old version keeps its provisioned concurrency';
    return null;
  }
  if (!old) return `${status} but the old version lost its provisioned concurrency`;
  const versions = [...(world.functions.functions.get(FN)?.versions.keys() ?? [])];
  for (const version of versions.filter((v) => v !== '1' && v !== '$LATEST')) {
    if (await world.functions.getProvisionedConcurrency(FN, version))
      return `${status} but version ${version} keeps provisioned concurrency`;
  }
  return null;
}

/** Why a finished run is inconsistent, or null when it is consistent. */
async function inconsistency(
  world: World,
  id: string,
  fault: Fault,
  scenario: Scenario,
  lines: readonly Record<string, unknown>[],
): Promise<string | null> {
  const d = await world.store.get(id);
  if (!d) return 'record missing';
  if (!isTerminal(d.status)) return `record left ${d.status}`;
  if (await world.store.getLock(FN)) return `lock still held (status ${d.status})`;
  if (d.status !== 'SUCCEEDED' && !d.reason) return `${d.status} without a reason`;
  const state = await world.functionState();
  const split = await world.aliasSplit();
  if (split) return `alias left split: ${JSON.stringify(split)}`;
  if (world.callbacks.open > 0) return `${world.callbacks.open} callback waits left open`;
  const released = d.release?.digest;
  if (d.status === 'SUCCEEDED') {
    if (state.aliasDigest !== released || state.latestDigest !== released)
      return 'SUCCEEDED but not fully released';
  } else if (state.aliasDigest !== world.liveDigest || state.latestDigest !== world.liveDigest) {
    return `${d.status} but the function was left changed (${JSON.stringify(state)})`;
  }
  if (scenario.provisioned) {
    const problem = await provisioningProblem(world, d.status, d.release?.version ?? null, fault);
    if (problem) return problem;
  }
  // What is live: the record names this deployment exactly when it went live.
  const live = await world.store.getLive(FN);
  if (d.status === 'SUCCEEDED' && (live?.deploymentId !== id || live.digest !== released))
    return `SUCCEEDED but the live record says ${JSON.stringify(live)}`;
  if (d.status !== 'SUCCEEDED' && live?.deploymentId === id)
    return `${d.status} but recorded as live`;
  // The outcome is counted once (alarms and charts read the count), whatever step was retried.
  const counted = world.metrics.samples.filter((s) => s.name === 'Deployments');
  if (counted.length !== 1 || counted[0]?.dimensions.Status !== d.status)
    return `${d.status} counted as ${JSON.stringify(counted.map((s) => s.dimensions.Status))}`;
  if (fault.kind === 'transient' && d.status !== scenario.expected) {
    return `a retried transient error changed the outcome to ${d.status}`;
  }
  return announcement(world, lines, d.status, fault);
}

describe('Workflow: fault matrix', () => {
  it('ends every run consistent whatever port call fails', async () => {
    let cells = 0;
    let consistent = 0;
    const problems: string[] = [];
    const outcomes: Record<string, number> = {};
    const perPath: Record<string, number> = {};

    for (const scenario of scenarios) {
      // A clean run records every call site of this path.
      const recorder = new FaultInjector();
      const recWorld = createWorld(worldOptions(scenario));
      const { id: recId } = await scenario.setup(recWorld);
      await recWorld.run(recId, recorder.depsFor(recWorld.deps));
      expect((await recWorld.record(recId)).status, `${scenario.name} without faults`).toBe(
        scenario.expected,
      );
      const sites: CallSite[] = recorder.calls;
      perPath[scenario.name] = sites.length * FAULT_KINDS.length;

      for (const site of sites) {
        for (const kind of FAULT_KINDS) {
          const fault: Fault = { ...site, kind };
          const world = createWorld(worldOptions(scenario));
          const { id } = await scenario.setup(world);
          const injector = new FaultInjector([fault]);
          const { lines, logger } = finalizedLines();
          await world.run(id, injector.depsFor({ ...world.deps, logger }));
          cells += 1;
          const status = (await world.store.get(id))?.status ?? 'MISSING';
          outcomes[status] = (outcomes[status] ?? 0) + 1;
          const problem =
            injector.fired.length === 1
              ? await inconsistency(world, id, fault, scenario, lines)
              : 'fault not fired';
          if (problem) {
            problems.push(
              `${scenario.name} ${site.step} ${site.port}.${site.method}#${site.occurrence} ${kind}: ${problem}`,
            );
          } else {
            consistent += 1;
          }
        }
      }
    }

    console.log(`fault matrix per path: ${JSON.stringify(perPath)}`);
    console.log(
      `fault matrix: ${cells} runs (${scenarios.length} paths × every port call × ${FAULT_KINDS.length} faults), ` +
        `${consistent} ended consistent; outcomes ${JSON.stringify(outcomes)}`,
    );
    expect(problems).toEqual([]);
    expect(consistent).toBe(cells);
    expect(cells).toBeGreaterThan(100);
  }, 900_000);
});

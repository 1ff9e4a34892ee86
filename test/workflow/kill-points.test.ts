/**
 * Kill-point matrix: for each path (an image all at once, a source build, a smoke failure, a
 * healthy canary, a canary that needs approval, a canary with provisioned concurrency) and each
 * state that path enters, stop the execution as it enters that state — its side effects so far done, its journal
 * written up to there, as a kill -9 would leave them — then run restart recovery with fresh
 * runner objects over the same store and functions. Every cell must end consistent, say why,
 * and leave the function free for the next deployment, which must succeed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExecutionJournal } from '../../local/execution-journal.ts';
import { recoverStoppedExecutions } from '../../local/recovery.ts';
import { stoppedReason } from '../../local/recovery-plan.ts';
import { LocalWorkflowCallbacks } from '../../local/workflow-callbacks.ts';
import { isTerminal } from '../../services/core/deployment.ts';
import { silentLogger } from '../../services/core/logger.ts';
import { provisioningPlans } from '../fakes/fake-provisioning.ts';
import { healthy } from '../fakes/scripted-version-health.ts';
import { approveWhenAsked } from './deciders.ts';
import { appRef, createWorld, FN, type World } from './world.ts';

interface Path {
  readonly name: string;
  readonly provisioned?: boolean;
  readonly world?: Parameters<typeof createWorld>[0];
  /** The state whose result decides a rollback on this path: after it, its reason stands. */
  readonly decidedBy?: string;
  setup(world: World): Promise<string>;
}

const canary = { strategy: 'canary', percent: 25, intervalSeconds: 1 } as const;

const paths: Path[] = [
  {
    name: 'image',
    setup: (world) => {
      world.pushApp('v2');
      return world.request({ image: appRef('v2') });
    },
  },
  {
    // From source: the Build state (CodeBuild's, no worker of ours) is a kill point too.
    name: 'source',
    setup: (world) => world.request({ source: { url: 'https://git.example.com/acme/orders.git' } }),
  },
  {
    name: 'smoke-fails',
    decidedBy: 'SmokeInvoke',
    setup: (world) => {
      const digest = world.pushApp('v2');
      world.functions.behaviors.set(digest, () => ({
        functionError: 'Unhandled',
        payload: { errorMessage: 'boom' },
      }));
      return world.request({ image: appRef('v2') });
    },
  },
  {
    name: 'canary',
    world: { settings: { release: canary } },
    setup: (world) => {
      world.pushApp('v2');
      return world.request({ image: appRef('v2') });
    },
  },
  {
    name: 'canary-approval',
    world: { settings: { release: canary, approval: { required: true } } },
    setup: (world) => {
      world.pushApp('v2');
      approveWhenAsked(world, 'dana');
      return world.request({ image: appRef('v2') });
    },
  },
  {
    name: 'canary-provisioned',
    provisioned: true,
    world: { settings: { release: canary, provisionedConcurrency: 2 } },
    setup: async (world) => {
      const digest = world.pushApp('v2');
      world.functions.provisioning.plans.set(digest, provisioningPlans.slow(2));
      await world.functions.putProvisionedConcurrency(FN, '1', 2);
      return world.request({ image: appRef('v2') });
    },
  },
];

const homes: string[] = [];
afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

/** A world for the path, with healthy figures for whichever versions it publishes. */
function worldFor(path: Path): { world: World; journal: ExecutionJournal } {
  const world = createWorld({ timeScale: 0.005, ...path.world });
  for (const version of ['2', '3', '4']) world.versionHealth.script(version, healthy(30));
  const home = mkdtempSync(join(tmpdir(), 'ferry-kill-'));
  homes.push(home);
  return { world, journal: new ExecutionJournal(join(home, 'executions')) };
}

const BEFORE_UPDATE = new Set([
  'Prepare',
  'HasSource',
  'SelectBuildProject',
  'UseX86Builder',
  'Build',
  'ResolveImage',
  'ScanImage',
  'SizeGate',
  'Promote',
]);
const DECIDED = /^(Rollback|RollbackOutcome|Mark.*|Finalize|Outcome|Deployed|NotDeployed)$/;

/** How a cell must end: as the clean run did once the outcome was decided, else stopped. */
function expected(
  path: Path,
  state: string,
  clean: { path: readonly string[]; status: string; reason: string | null },
) {
  if (BEFORE_UPDATE.has(state)) return { status: 'FAILED', reason: stoppedReason(state, 'failed') };
  const afterDecision =
    path.decidedBy !== undefined && clean.path.indexOf(state) > clean.path.indexOf(path.decidedBy);
  if (DECIDED.test(state) || afterDecision) return { status: clean.status, reason: clean.reason };
  return { status: 'ROLLED_BACK', reason: stoppedReason(state, 'rolled back') };
}

/** Why the function and record are not as the cell must leave them, or null. */
async function inconsistency(
  world: World,
  id: string,
  want: { status: string; reason: string | null },
  path: Path,
  callbacks: LocalWorkflowCallbacks[],
): Promise<string | null> {
  const d = await world.record(id);
  if (!isTerminal(d.status)) return `record left ${d.status}`;
  if (d.status !== want.status) return `${d.status}, expected ${want.status}`;
  if ((d.reason ?? null) !== want.reason)
    return `reason ${JSON.stringify(d.reason)}, expected ${JSON.stringify(want.reason)}`;
  if (await world.store.getLock(FN)) return 'lock still held';
  const split = await world.aliasSplit();
  if (split) return `alias left split: ${JSON.stringify(split)}`;
  const open = callbacks.reduce((n, c) => n + c.open, 0);
  if (open > 0) return `${open} callback waits left open`;
  const state = await world.functionState();
  const digest = d.status === 'SUCCEEDED' ? d.release?.digest : world.liveDigest;
  if (state.aliasDigest !== digest || state.latestDigest !== digest)
    return `${d.status} but the function is ${JSON.stringify(state)}`;
  if (path.provisioned && d.status !== 'SUCCEEDED') {
    if (!(await world.functions.getProvisionedConcurrency(FN, '1')))
      return 'old version lost its provisioned concurrency';
    const published = world.functions.functions.get(FN)?.versions.has('2');
    if (published && (await world.functions.getProvisionedConcurrency(FN, '2')))
      return 'new version keeps provisioned concurrency';
  }
  return null;
}

describe('Workflow: kill points', () => {
  it('ends every execution stopped at any state consistent at restart, and the next deployment succeeds', async () => {
    const problems: string[] = [];
    const perPath: Record<string, number> = {};
    const outcomes: Record<string, number> = {};
    let cells = 0;
    // Cells whose stop left the function changed (so the restart had something to put back).
    let changedAtStop = 0;
    for (const path of paths) {
      const cleanWorld = worldFor(path);
      const cleanId = await path.setup(cleanWorld.world);
      const cleanRun = await cleanWorld.world
        .workflow({ journal: cleanWorld.journal })
        .run(cleanId);
      const cleanRecord = await cleanWorld.world.record(cleanId);
      expect(await cleanWorld.journal.list(), `${path.name}: journal after a clean run`).toEqual(
        [],
      );
      const clean = {
        path: cleanRun.path,
        status: cleanRecord.status,
        reason: cleanRecord.reason ?? null,
      };
      const states = [...new Set(cleanRun.path)];
      perPath[path.name] = states.length;

      for (const state of states) {
        cells += 1;
        const { world, journal } = worldFor(path);
        const id = await path.setup(world);
        const stopped = await world.workflow({ journal }).run(id, { stopAt: state });
        const label = `${path.name} @ ${state}`;
        const left = await journal.list();
        if (stopped.status !== 'STOPPED' || left.at(0)?.state !== state) {
          problems.push(
            `${label}: not stopped there (${stopped.status}, journal ${left.at(0)?.state})`,
          );
          continue;
        }
        const atStop = await world.functionState();
        if (atStop.latestDigest !== world.liveDigest || (await world.aliasSplit()))
          changedAtStop += 1;
        // The restarted process: new runner, new callback waits, the same store and functions.
        const callbacks = new LocalWorkflowCallbacks();
        await recoverStoppedExecutions({
          journal,
          workflow: world.workflow({ journal, callbacks }),
          store: world.store,
          logger: silentLogger,
        });
        const status = (await world.record(id)).status;
        outcomes[status] = (outcomes[status] ?? 0) + 1;
        const problem =
          (await inconsistency(world, id, expected(path, state, clean), path, [
            world.callbacks,
            callbacks,
          ])) ?? ((await journal.list()).length > 0 ? 'journal left after recovery' : null);
        if (problem) {
          problems.push(`${label}: ${problem}`);
          continue;
        }
        world.pushApp('v3');
        const next = await world.request({ image: appRef('v3') });
        // The old process's waits are gone; the approver resumes the world's, so it runs there.
        await world.workflow({ journal }).run(next);
        const after = await world.record(next);
        if (after.status !== 'SUCCEEDED')
          problems.push(`${label}: the next deployment ${after.status} (${after.reason})`);
      }
    }
    console.log(
      `kill-point matrix: ${cells} cells (${paths.length} paths × the states each enters: ${JSON.stringify(perPath)}); ` +
        `${changedAtStop} left the function changed; outcomes after restart ${JSON.stringify(outcomes)}`,
    );
    expect(changedAtStop).toBeGreaterThan(30);
    expect(problems).toEqual([]);
    expect(cells).toBeGreaterThan(60);
  }, 300_000);

  it('ends a PENDING deployment that never started FAILED, and frees its lock', async () => {
    const { world, journal } = worldFor(paths[0] as Path);
    const id = (await paths[0]?.setup(world)) as string;
    await world.store.acquireLock(FN, id, Math.floor(world.clock.now().getTime() / 1000), 600);
    await recoverStoppedExecutions({
      journal,
      workflow: world.workflow({ journal }),
      store: world.store,
      logger: silentLogger,
    });
    const d = await world.record(id);
    expect(d.status).toBe('FAILED');
    expect(d.reason).toBe('Ferry stopped before the deployment started; ended FAILED at restart');
    expect(await world.store.getLock(FN)).toBeNull();
    expect(await world.functionState()).toMatchObject({
      latestDigest: world.liveDigest,
      aliasDigest: world.liveDigest,
    });
  });
  it('ends a PENDING deployment that never started however many records came after it', async () => {
    const { world, journal } = worldFor(paths[0] as Path);
    const id = (await paths[0]?.setup(world)) as string;
    const pending = await world.record(id);
    // Later deployments that ended: the unstarted one sinks below any first page of history.
    for (let n = 0; n < 60; n += 1) {
      const later = new Date(Date.parse(pending.createdAt) + (n + 1) * 1000).toISOString();
      await world.store.create({
        ...pending,
        id: `d-later-${n}`,
        createdAt: later,
        status: 'SUCCEEDED',
      });
    }
    await recoverStoppedExecutions({
      journal,
      workflow: world.workflow({ journal }),
      store: world.store,
      logger: silentLogger,
    });
    expect((await world.record(id)).status).toBe('FAILED');
  });
});

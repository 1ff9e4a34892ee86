import { describe, expect, it } from 'vitest';
import type { FakeAlarms } from '../../../test/fakes/fake-alarms.ts';
import {
  healthy,
  type ScriptedVersionHealth,
} from '../../../test/fakes/scripted-version-health.ts';
import {
  createWorkerWorld,
  FN,
  seedDeployment,
  type WorkerWorld,
} from '../../../test/support/workflow-state.ts';
import { planRelease, type ReleasePlan } from '../../core/release-plan.ts';
import type { ReleaseStrategy } from '../../core/release-strategy.ts';
import { parseFunctionSettings } from '../../core/settings.ts';
import type { TrafficState } from '../../core/workflow.ts';
import { type JudgeStepInput, judgeStep } from './core.ts';

const CANARY: ReleaseStrategy = { strategy: 'canary', percent: 10, intervalSeconds: 60 };
const LINEAR: ReleaseStrategy = { strategy: 'linear', percent: 25, intervalSeconds: 60 };

function plan(strategy: ReleaseStrategy, settings: Record<string, unknown> = {}): ReleasePlan {
  return planRelease(
    { trigger: { kind: 'api' }, request: {} },
    parseFunctionSettings({ team: 'payments', release: strategy, ...settings }),
    { settleSeconds: 30, provisioningPollSeconds: 1 },
  );
}

async function setup(release: ReleasePlan, traffic: Partial<TrafficState> = {}) {
  const world = createWorkerWorld();
  await seedDeployment(world);
  const from = new Date(world.clock.now().getTime() - 90_000).toISOString();
  const input: JudgeStepInput = {
    deploymentId: world.id,
    functionName: FN,
    alias: 'live',
    version: '2',
    liveVersion: '1',
    release,
    traffic: {
      step: 0,
      weight: release.steps[0]?.weight ?? 1,
      windowFrom: from,
      holdSeconds: 90,
      extensions: 0,
      next: 'hold',
      ...traffic,
    },
  };
  return { world, input, health: world.deps.versionHealth as ScriptedVersionHealth };
}

const judgementsOf = async (world: WorkerWorld) =>
  (await world.store.get(world.id))?.traffic?.judgements ?? [];

describe('Worker: JudgeStep', () => {
  it('judges the step on its window up to the settle delay, both versions alike', async () => {
    const { world, input, health } = await setup(plan(CANARY));
    health.script('2', healthy(20));
    health.script('1', healthy(180));

    const out = await judgeStep(input, world.deps);

    expect(out.next).toBe('activate');
    const windows = health.calls.map((c) => [c.version, c.from.toISOString(), c.to.getTime()]);
    const to = world.clock.now().getTime();
    expect(windows).toHaveLength(2);
    for (const [, from, end] of windows) {
      expect(from).toBe(input.traffic.windowFrom);
      // The window ends the settle delay (30 s) before now; the clock ticks as it is read.
      expect(to - Number(end)).toBeGreaterThanOrEqual(30_000);
      expect(to - Number(end)).toBeLessThan(31_000);
    }
    expect(await judgementsOf(world)).toEqual([
      expect.objectContaining({ step: 0, weight: 0.1, outcome: 'pass', action: 'next' }),
    ]);
  });

  it('goes on to the next weight, to approval, or to all traffic', async () => {
    const linear = await setup(plan(LINEAR));
    linear.health.script('2', healthy(20));
    expect((await judgeStep(linear.input, linear.world.deps)).next).toBe('shift');

    const approval = await setup(plan(CANARY, { approval: { required: true } }));
    approval.health.script('2', healthy(20));
    expect((await judgeStep(approval.input, approval.world.deps)).next).toBe('approve');
  });

  it('rolls back a failing step with the figures as the reason', async () => {
    const { world, input, health } = await setup(plan(CANARY));
    health.script('2', healthy(24, 12));
    health.script('1', healthy(31));

    const out = await judgeStep(input, world.deps);

    expect(out.next).toBe('rollback');
    expect(out.reason).toMatch(
      /^version 2: 12 errors in 24 invocations \(50%\) vs version 1: 0 in 31, 60 s window — /,
    );
    expect(await judgementsOf(world)).toEqual([
      expect.objectContaining({ outcome: 'fail', action: 'rollback' }),
    ]);
  });

  it('extends a step with too few invocations, then rolls back once the extensions are used', async () => {
    const release = plan(CANARY, { judge: { maxExtensions: 1 } });
    const first = await setup(release);
    first.health.script('2', healthy(3));
    const extended = await judgeStep(first.input, first.world.deps);
    expect(extended).toMatchObject({ next: 'hold', extensions: 1, holdSeconds: 90 });
    expect(extended.windowFrom).toBe(first.input.traffic.windowFrom);

    const last = await setup(release, { extensions: 1 });
    last.health.script('2', healthy(3));
    const out = await judgeStep(last.input, last.world.deps);
    expect(out.next).toBe('rollback');
    expect(out.reason).toContain('after the step was held 1 more time');
  });

  it('proceeds without a verdict when the settings say so, and records it', async () => {
    const { world, input, health } = await setup(
      plan(CANARY, { judge: { onTooFewInvocations: 'proceed' } }),
    );
    health.script('2', healthy(1));

    expect((await judgeStep(input, world.deps)).next).toBe('activate');
    expect(await judgementsOf(world)).toEqual([
      expect.objectContaining({ outcome: 'too-few-invocations', action: 'proceed' }),
    ]);
  });

  it('fails on an alarm that went off, not on one already firing at the start (report)', async () => {
    const release = {
      ...plan(CANARY, { judge: { alarms: ['old', 'new'] } }),
      alarmsAtStart: ['old'],
    };
    const { world, input, health } = await setup(release);
    health.script('2', healthy(20));
    const alarms = world.deps.alarms as FakeAlarms;
    alarms.set('old', 'ALARM');
    alarms.set('new', 'OK');
    expect((await judgeStep(input, world.deps)).next).toBe('activate');

    alarms.set('new', 'ALARM', 'Threshold Crossed');
    const out = await judgeStep(input, world.deps);
    expect(out.next).toBe('rollback');
    expect(out.reason).toBe('alarm new in ALARM (Threshold Crossed)');
  });

  it('honours an abort recorded while nothing was waiting, without reading any figure', async () => {
    const { world, input, health } = await setup(plan(CANARY));
    await world.store.update(world.id, {
      abort: { by: 'alice', at: world.clock.now().toISOString() },
    });

    const out = await judgeStep(input, world.deps);

    expect(out).toMatchObject({
      next: 'rollback',
      reason: 'aborted by alice during step 1 (10% to the new version)',
    });
    expect(health.calls).toEqual([]);
  });
});

/**
 * Gradual releases on the real deploy.asl.json: canary and linear steps by the alias's weights,
 * each step judged by the new version's figures next to the old one's, too-few-invocation
 * policies, alarms, abort at any point, approval before the last step. The holds are real
 * callback waits, scaled down by the world (a 1 s step holds 50 ms).
 */
import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../services/core/deployment.ts';
import type { AliasState } from '../../services/core/ports.ts';
import { provisioningPlans } from '../fakes/fake-provisioning.ts';
import { healthy } from '../fakes/scripted-version-health.ts';
import { appRef, createWorld, FN, type World } from './world.ts';

const CANARY = { strategy: 'canary', percent: 25, intervalSeconds: 1 } as const;

/** Waits until the record satisfies `ready` (the workflow runs meanwhile). */
async function until(world: World, id: string, ready: (d: Deployment) => boolean) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const d = await world.store.get(id);
    if (d && ready(d)) return d;
    if (Date.now() > deadline) throw new Error(`timed out; record: ${JSON.stringify(d?.traffic)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What the approve/abort use cases do: record the decision first, then resume the hold. */
async function decide(world: World, id: string, action: 'approve' | 'abort', by: string) {
  const at = world.clock.now().toISOString();
  await world.store.update(
    id,
    action === 'abort' ? { abort: { by, at } } : { approval: { by, at } },
  );
  const hold = await world.store.getHold(id);
  return hold ? world.callbacks.resume(hold.token, { action, by }) : false;
}

/** The alias's routing each time the judge reads the figures (the traffic the step saw). */
function routingAtJudgement(world: World): Array<AliasState | null> {
  const seen: Array<AliasState | null> = [];
  const sample = world.versionHealth.sample.bind(world.versionHealth);
  world.versionHealth.sample = async (...args) => {
    if (args[2] === '2') seen.push(await world.functions.getAliasRouting(FN, 'live'));
    return sample(...args);
  };
  return seen;
}

async function expectOnOldVersionAlone(world: World) {
  const routing = await world.functions.getAliasRouting(FN, 'live');
  expect(routing?.version).toBe('1');
  expect(routing?.additional).toBeNull();
  expect(await world.store.getLock(FN)).toBeNull();
  expect(world.callbacks.open).toBe(0);
}

describe('Workflow: gradual releases', () => {
  it('a healthy canary holds 25% on the new version, judges it, then moves the whole alias', async () => {
    const world = createWorld({ settings: { release: CANARY } });
    world.pushApp('v2');
    world.versionHealth.script('2', healthy(24));
    world.versionHealth.script('1', healthy(72));
    const routings = routingAtJudgement(world);
    const id = await world.request({ image: appRef('v2') });

    const out = await world.run(id);

    expect(out.status).toBe('SUCCEEDED');
    expect(out.path).toEqual(
      expect.arrayContaining(['ShiftTraffic', 'Hold', 'JudgeStep', 'Activate', 'MarkSucceeded']),
    );
    expect(routings).toEqual([
      expect.objectContaining({ version: '1', additional: { version: '2', weight: 0.25 } }),
    ]);
    const d = await world.record(id);
    expect(d.status).toBe('SUCCEEDED');
    expect(d.traffic).toMatchObject({ strategy: CANARY, weight: 1, phase: 'complete' });
    expect(d.traffic?.judgements).toEqual([
      expect.objectContaining({
        step: 0,
        weight: 0.25,
        outcome: 'pass',
        action: 'next',
        candidate: expect.objectContaining({ version: '2', invocations: 24, errors: 0 }),
        baseline: expect.objectContaining({ version: '1', invocations: 72 }),
      }),
    ]);
    const routing = await world.functions.getAliasRouting(FN, 'live');
    expect(routing).toMatchObject({ version: '2', additional: null });
    expect(await world.store.getLock(FN)).toBeNull();
  }, 20_000);

  it('rolls back a failing canary at its step in one alias update, with the figures as the reason', async () => {
    const world = createWorld({ settings: { release: CANARY } });
    world.pushApp('v2');
    world.versionHealth.script('2', healthy(24, 12));
    world.versionHealth.script('1', healthy(31));
    const id = await world.request({ image: appRef('v2') });

    const out = await world.run(id);

    expect(out.error).toBe('ROLLED_BACK');
    const d = await world.record(id);
    expect(d.reason).toContain(
      'version 2: 12 errors in 24 invocations (50%) vs version 1: 0 in 31',
    );
    expect(d.reason).toMatch(/^step 1 failed: /);
    expect(d.traffic).toMatchObject({ weight: 0, phase: 'rolled-back' });
    expect(d.traffic?.judgements.at(-1)).toMatchObject({ outcome: 'fail', action: 'rollback' });
    expect(out.path).not.toContain('Activate');
    await expectOnOldVersionAlone(world);
    expect((await world.functionState()).latestDigest).toBe(world.liveDigest);
  }, 20_000);

  it('linear steps: each weight in turn, each judged, then all traffic', async () => {
    const world = createWorld({
      settings: { release: { strategy: 'linear', percent: 40, intervalSeconds: 1 } },
    });
    world.pushApp('v2');
    world.versionHealth.script('2', healthy(40));
    const routings = routingAtJudgement(world);
    const id = await world.request({ image: appRef('v2') });

    const out = await world.run(id);

    expect(out.status).toBe('SUCCEEDED');
    expect(routings.map((r) => r?.additional?.weight)).toEqual([0.4, 0.8]);
    const d = await world.record(id);
    expect(d.traffic?.judgements.map((j) => [j.step, j.weight, j.outcome])).toEqual([
      [0, 0.4, 'pass'],
      [1, 0.8, 'pass'],
    ]);
  }, 20_000);

  it('a deployment override replaces the setting: all at once for this one', async () => {
    const world = createWorld({ settings: { release: CANARY } });
    world.pushApp('v2');
    const id = await world.request({ image: appRef('v2'), release: { strategy: 'all-at-once' } });

    const out = await world.run(id);

    expect(out.status).toBe('SUCCEEDED');
    expect(out.path).not.toContain('ShiftTraffic');
    expect((await world.record(id)).traffic).toBeUndefined();
  });

  describe('too few invocations is not a pass', () => {
    it('extend: the step is held again and judged on the longer window', async () => {
      const world = createWorld({ settings: { release: CANARY } });
      world.pushApp('v2');
      world.versionHealth.script('2', healthy(3), healthy(30));
      const id = await world.request({ image: appRef('v2') });

      const out = await world.run(id);

      expect(out.status).toBe('SUCCEEDED');
      const d = await world.record(id);
      expect(d.traffic?.judgements.map((j) => [j.outcome, j.action])).toEqual([
        ['too-few-invocations', 'extend'],
        ['pass', 'next'],
      ]);
      // The extended step is judged from where its traffic began.
      const [first, second] = d.traffic?.judgements ?? [];
      expect(second?.from).toBe(first?.from);
    }, 20_000);

    it('extend: once the extensions are used up, it rolls back and says so', async () => {
      const world = createWorld({
        settings: { release: CANARY, judge: { maxExtensions: 1 } },
      });
      world.pushApp('v2');
      world.versionHealth.script('2', healthy(2));
      const id = await world.request({ image: appRef('v2') });

      const out = await world.run(id);

      expect(out.error).toBe('ROLLED_BACK');
      const d = await world.record(id);
      expect(d.reason).toContain('too few invocations for a verdict: 2 of 10');
      expect(d.reason).toContain('held 1 more time');
      await expectOnOldVersionAlone(world);
    }, 20_000);

    it('proceed: goes on without a verdict, and the record says so', async () => {
      const world = createWorld({
        settings: { release: CANARY, judge: { onTooFewInvocations: 'proceed' } },
      });
      world.pushApp('v2');
      world.versionHealth.script('2', healthy(1));
      const id = await world.request({ image: appRef('v2') });

      const out = await world.run(id);

      expect(out.status).toBe('SUCCEEDED');
      expect((await world.record(id)).traffic?.judgements[0]).toMatchObject({
        outcome: 'too-few-invocations',
        action: 'proceed',
      });
    }, 20_000);
  });

  describe('alarms', () => {
    it('an alarm that goes off during a step rolls back, naming it', async () => {
      const world = createWorld({
        settings: { release: CANARY, judge: { alarms: ['orders-5xx'] } },
      });
      world.pushApp('v2');
      world.alarms.set('orders-5xx', 'OK');
      world.versionHealth.script('2', healthy(30));
      const sample = world.versionHealth.sample.bind(world.versionHealth);
      world.versionHealth.sample = async (...args) => {
        world.alarms.set('orders-5xx', 'ALARM', 'Threshold Crossed: 3 datapoints');
        return sample(...args);
      };
      const id = await world.request({ image: appRef('v2') });

      const out = await world.run(id);

      expect(out.error).toBe('ROLLED_BACK');
      expect((await world.record(id)).reason).toContain(
        'alarm orders-5xx in ALARM (Threshold Crossed: 3 datapoints)',
      );
      await expectOnOldVersionAlone(world);
    }, 20_000);

    it('an alarm already firing at the start is reported and does not block the release (report)', async () => {
      const world = createWorld({
        settings: { release: CANARY, judge: { alarms: ['orders-5xx'] } },
      });
      world.pushApp('v2');
      world.alarms.set('orders-5xx', 'ALARM');
      world.versionHealth.script('2', healthy(30));
      const id = await world.request({ image: appRef('v2') });

      const out = await world.run(id);

      expect(out.status).toBe('SUCCEEDED');
      const d = await world.record(id);
      expect(d.traffic?.preexistingAlarms).toEqual(['orders-5xx']);
      expect(d.traffic?.judgements[0]?.alarms).toEqual([
        { name: 'orders-5xx', state: 'ALARM', preexisting: true },
      ]);
    }, 20_000);

    it('an alarm already firing at the start fails the first step (block)', async () => {
      const world = createWorld({
        settings: {
          release: CANARY,
          judge: { alarms: ['orders-5xx'], preexistingAlarms: 'block' },
        },
      });
      world.pushApp('v2');
      world.alarms.set('orders-5xx', 'ALARM');
      world.versionHealth.script('2', healthy(30));
      const id = await world.request({ image: appRef('v2') });

      expect((await world.run(id)).error).toBe('ROLLED_BACK');
      await expectOnOldVersionAlone(world);
    }, 20_000);

    it('a named alarm that does not exist fails the deployment before anything changed', async () => {
      const world = createWorld({ settings: { release: CANARY, judge: { alarms: ['nope'] } } });
      world.pushApp('v2');
      const id = await world.request({ image: appRef('v2') });

      const out = await world.run(id);

      expect(out.error).toBe('FAILED');
      expect((await world.record(id)).reason).toContain("no alarm is named 'nope'");
      expect(world.functions.functions.get(FN)?.versions.size).toBe(1);
    });
  });

  describe('abort', () => {
    it('during a step: rolled back at once, with who aborted', async () => {
      const world = createWorld({
        settings: { release: { strategy: 'canary', percent: 25, intervalSeconds: 600 } },
      });
      world.pushApp('v2');
      const id = await world.request({ image: appRef('v2') });
      const running = world.run(id);
      await until(world, id, (d) => d.traffic?.phase === 'holding' && d.traffic.weight === 0.25);
      await until(world, id, (d) => d.steps.some((s) => s.name === 'Hold'));
      while (!(await world.store.getHold(id))) await new Promise((r) => setTimeout(r, 10));

      const started = Date.now();
      expect(await decide(world, id, 'abort', 'alice')).toBe(true);
      const out = await running;

      expect(Date.now() - started).toBeLessThan(1000);
      expect(out.error).toBe('ROLLED_BACK');
      const d = await world.record(id);
      expect(d.reason).toBe('aborted by alice during step 1 (25% to the new version)');
      expect(d.abort?.by).toBe('alice');
      await expectOnOldVersionAlone(world);
    }, 20_000);

    it('recorded while no wait was open: the next hold ends itself', async () => {
      const world = createWorld({ settings: { release: CANARY } });
      world.pushApp('v2');
      const id = await world.request({ image: appRef('v2') });
      const shift = world.deps.functions.setAliasRouting.bind(world.functions);
      world.functions.setAliasRouting = async (...args) => {
        await world.store.update(id, { abort: { by: 'bob', at: world.clock.now().toISOString() } });
        return shift(...args);
      };

      const out = await world.run(id);

      expect(out.error).toBe('ROLLED_BACK');
      expect((await world.record(id)).reason).toBe(
        'aborted by bob during step 1 (25% to the new version)',
      );
      await expectOnOldVersionAlone(world);
    }, 20_000);

    it('written while its resume was lost: the judge honours it when the step ends', async () => {
      const world = createWorld({ settings: { release: CANARY } });
      world.pushApp('v2');
      const id = await world.request({ image: appRef('v2') });
      const running = world.run(id);
      while (!(await world.store.getHold(id))) await new Promise((r) => setTimeout(r, 5));
      // The abort is on the record, but nobody resumed the wait (an API that stopped in between).
      await world.store.update(id, { abort: { by: 'frank', at: world.clock.now().toISOString() } });

      const out = await running;

      expect(out.error).toBe('ROLLED_BACK');
      expect(out.path).toContain('JudgeStep');
      expect((await world.record(id)).reason).toBe(
        'aborted by frank during step 1 (25% to the new version)',
      );
      await expectOnOldVersionAlone(world);
    });

    it('of an all-at-once deployment before Activate: the alias never moves', async () => {
      const world = createWorld();
      world.pushApp('v2');
      const id = await world.request({ image: appRef('v2') });
      const invoke = world.functions.invokeConcurrently.bind(world.functions);
      world.functions.invokeConcurrently = async (...args) => {
        await world.store.update(id, {
          abort: { by: 'carol', at: world.clock.now().toISOString() },
        });
        return invoke(...args);
      };

      const out = await world.run(id);

      expect(out.error).toBe('ROLLED_BACK');
      expect((await world.record(id)).reason).toBe('aborted by carol before traffic moved');
      await expectOnOldVersionAlone(world);
    });
  });

  describe('approval before the last step', () => {
    it('waits until approved, then moves all traffic', async () => {
      const world = createWorld({ settings: { release: CANARY, approval: { required: true } } });
      world.pushApp('v2');
      world.versionHealth.script('2', healthy(30));
      const id = await world.request({ image: appRef('v2') });
      const running = world.run(id);
      await until(world, id, (d) => d.traffic?.phase === 'awaiting-approval');
      await new Promise((r) => setTimeout(r, 300));
      expect((await world.record(id)).status).toBe('RUNNING');
      while (!(await world.store.getHold(id))) await new Promise((r) => setTimeout(r, 10));

      expect(await decide(world, id, 'approve', 'dana')).toBe(true);
      const out = await running;

      expect(out.status).toBe('SUCCEEDED');
      const d = await world.record(id);
      expect(d.approval?.by).toBe('dana');
      expect(d.traffic).toMatchObject({ weight: 1, phase: 'complete' });
      expect(await world.functions.getAliasRouting(FN, 'live')).toMatchObject({
        version: '2',
        additional: null,
      });
    }, 20_000);

    it('abort while awaiting approval rolls back', async () => {
      const world = createWorld({ settings: { approval: { required: true } } });
      world.pushApp('v2');
      const id = await world.request({ image: appRef('v2') });
      const running = world.run(id);
      await until(world, id, (d) => d.traffic?.phase === 'awaiting-approval');
      while (!(await world.store.getHold(id))) await new Promise((r) => setTimeout(r, 10));

      await decide(world, id, 'abort', 'erin');
      const out = await running;

      expect(out.error).toBe('ROLLED_BACK');
      expect((await world.record(id)).reason).toBe('aborted by erin while awaiting approval');
      await expectOnOldVersionAlone(world);
    }, 20_000);

    it('not approved in time: rolled back, saying so', async () => {
      const world = createWorld({
        settings: { approval: { required: true, timeoutSeconds: 1 } },
      });
      world.pushApp('v2');
      const id = await world.request({ image: appRef('v2') });

      const out = await world.run(id);

      expect(out.error).toBe('ROLLED_BACK');
      expect((await world.record(id)).reason).toBe('not approved within 1 s: rolled back');
      await expectOnOldVersionAlone(world);
    }, 20_000);
  });

  it('refuses a release that could outlast the workflow, before anything changed', async () => {
    const world = createWorld({
      settings: {
        release: { strategy: 'linear', percent: 1, intervalSeconds: 3600 },
      },
    });
    world.pushApp('v2');
    const id = await world.request({ image: appRef('v2') });

    const out = await world.run(id);

    expect(out.error).toBe('FAILED');
    expect((await world.record(id)).reason).toContain('more than the');
    expect(world.functions.functions.get(FN)?.versions.size).toBe(1);
  });

  it('a rollback deploys at once whatever the settings say', async () => {
    const world = createWorld({ settings: { release: CANARY, approval: { required: true } } });
    world.pushApp('v2');
    const id = await world.request({ image: appRef('v2') });
    const d = await world.record(id);
    await world.store.update(id, {});
    world.store.deployments.set(id, { ...d, trigger: { kind: 'rollback' } });

    const out = await world.run(id);

    expect(out.status).toBe('SUCCEEDED');
    expect(out.path).not.toContain('ShiftTraffic');
    expect(out.path).not.toContain('AwaitApproval');
  });
});

describe('Workflow: provisioned concurrency', () => {
  const PROVISIONED = { release: CANARY, provisionedConcurrency: 3 } as const;

  it('puts it on the new version, READY before any weight moves; the old version’s goes at the end', async () => {
    const world = createWorld({ settings: PROVISIONED });
    const digest = world.pushApp('v2');
    world.functions.provisioning.plans.set(digest, provisioningPlans.slow(3));
    await world.functions.putProvisionedConcurrency(FN, '1', 3);
    world.versionHealth.script('2', healthy(30));
    const id = await world.request({ image: appRef('v2') });

    const out = await world.run(id);

    expect(out.status).toBe('SUCCEEDED');
    const d = await world.record(id);
    const provisioned = d.steps.find((s) => s.name === 'ProvisionConcurrency');
    const shifted = d.steps.find((s) => s.name === 'ShiftTraffic');
    // The put, then three polls until READY.
    expect(provisioned?.attempts).toBe(4);
    expect(Date.parse(provisioned?.endedAt ?? '')).toBeLessThan(
      Date.parse(shifted?.startedAt ?? ''),
    );
    expect(d.traffic?.provisionedConcurrency).toMatchObject({
      version: '2',
      requested: 3,
      status: 'READY',
      removedFrom: '1',
    });
    expect(Date.parse(d.traffic?.provisionedConcurrency?.readyAt ?? '')).toBeLessThan(
      Date.parse(shifted?.startedAt ?? ''),
    );
    expect(await world.functions.getProvisionedConcurrency(FN, '2')).toMatchObject({
      requested: 3,
    });
    expect(await world.functions.getProvisionedConcurrency(FN, '1')).toBeNull();
  });

  it('FAILED provisioning rolls back before any traffic, removing the new version’s and keeping the old', async () => {
    const world = createWorld({ settings: PROVISIONED });
    const digest = world.pushApp('v2');
    world.functions.provisioning.plans.set(digest, provisioningPlans.failed('init failed: boom'));
    await world.functions.putProvisionedConcurrency(FN, '1', 3);
    const id = await world.request({ image: appRef('v2') });

    const out = await world.run(id);

    expect(out.error).toBe('ROLLED_BACK');
    expect(out.path).not.toContain('ShiftTraffic');
    const d = await world.record(id);
    expect(d.reason).toContain(
      'provisioned concurrency of 3 on version 2 FAILED: init failed: boom',
    );
    expect(await world.functions.getProvisionedConcurrency(FN, '2')).toBeNull();
    expect(await world.functions.getProvisionedConcurrency(FN, '1')).toMatchObject({
      requested: 3,
    });
    await expectOnOldVersionAlone(world);
  });

  it('not READY within the bound: rolled back with the reason', async () => {
    const world = createWorld({ settings: { ...PROVISIONED, provisioningTimeoutSeconds: 30 } });
    const digest = world.pushApp('v2');
    world.functions.provisioning.plans.set(digest, provisioningPlans.neverReady);
    const poll = world.functions.getProvisionedConcurrency.bind(world.functions);
    world.functions.getProvisionedConcurrency = async (...args) => {
      world.clock.advance(10_000);
      return poll(...args);
    };
    const id = await world.request({ image: appRef('v2') });

    const out = await world.run(id);

    expect(out.error).toBe('ROLLED_BACK');
    expect((await world.record(id)).reason).toContain('was not READY within 30 s');
    expect(await world.functions.getProvisionedConcurrency(FN, '2')).toBeNull();
    await expectOnOldVersionAlone(world);
  });
});

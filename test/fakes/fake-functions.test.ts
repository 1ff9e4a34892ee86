/**
 * The fake Lambda's cold starts and provisioning, which the worker tests rely on: Lambda's, and
 * the local host's. (The port's own semantics are the shared suites' in test/contracts.)
 */
import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../workflow/faults.ts';
import { createWorld, FN } from '../workflow/world.ts';
import { FakeFunctions } from './fake-functions.ts';
import { provisioningPlans } from './fake-provisioning.ts';

const IMAGE = `team/api@sha256:${'a'.repeat(64)}`;
const inits = (results: ReadonlyArray<{ report: { initDurationMs: number | null } | null }>) =>
  results.map((r) => r.report?.initDurationMs ?? null);

describe('Class: FakeFunctions', () => {
  it('starts an environment per concurrent invoke of a version nothing runs yet; later ones are warm', async () => {
    const functions = new FakeFunctions();
    functions.createFunction('api', IMAGE);

    expect(inits(await functions.invokeConcurrently('api', '1', '{}', 3))).toEqual([150, 150, 150]);
    // Lambda keeps the three environments: three invokes are warm, a fourth starts one more.
    expect(inits(await functions.invokeConcurrently('api', '1', '{}', 4))).toEqual([
      null,
      null,
      null,
      150,
    ]);
    expect((await functions.invoke('api', 'live', '{}')).report?.initDurationMs).toBeNull();
  });

  it('has no pairedColdStarts, as Lambda has none, unless built with the local host’s capability', async () => {
    expect(new FakeFunctions().pairedColdStarts).toBeUndefined();
    const functions = new FakeFunctions({ pairedColdStarts: true });
    functions.createFunction('api', IMAGE);
    await functions.invoke('api', '1', '{}');

    const pairs = await functions.pairedColdStarts?.('api', '1', 'live', '{}', 2);

    expect(inits(pairs?.version ?? [])).toEqual([150, 150]);
    expect(inits(pairs?.baseline ?? [])).toEqual([150, 150]);
  });

  it('answers warm on a version whose provisioned concurrency was seen READY, cold before', async () => {
    const functions = new FakeFunctions();
    functions.createFunction('api', IMAGE);

    await functions.putProvisionedConcurrency('api', '1', 2);
    // Not polled yet: nothing is READY, so the first invoke is a cold start.
    expect(inits(await functions.invokeConcurrently('api', '1', '{}', 1))).toEqual([150]);
    await functions.getProvisionedConcurrency('api', '1');

    expect(inits(await functions.invokeConcurrently('api', '1', '{}', 4))).toEqual([
      null,
      null,
      null,
      150,
    ]);
    await functions.deleteProvisionedConcurrency('api', '1');
    expect(inits(await functions.invokeConcurrently('api', '1', '{}', 3))).toEqual([
      null,
      null,
      150,
    ]);
  });

  it.each([
    ['slow', provisioningPlans.slow(3), ['IN_PROGRESS', 'IN_PROGRESS', 'READY', 'READY']],
    ['failed', provisioningPlans.failed('init boom'), ['FAILED', 'FAILED', 'FAILED', 'FAILED']],
    ['never ready', provisioningPlans.neverReady, Array(4).fill('IN_PROGRESS')],
  ])('follows a digest’s %s plan, poll by poll', async (_, plan, statuses) => {
    const functions = new FakeFunctions();
    functions.createFunction('api', IMAGE);
    functions.provisioning.plans.set(`sha256:${'a'.repeat(64)}`, plan);

    expect((await functions.putProvisionedConcurrency('api', '1', 1)).status).toBe('IN_PROGRESS');
    const seen = [];
    for (let poll = 0; poll < 4; poll++)
      seen.push(await functions.getProvisionedConcurrency('api', '1'));

    expect(seen.map((p) => p?.status)).toEqual(statuses);
    if (plan.outcome === 'failed') expect(seen[0]?.statusReason).toBe('init boom');
  });

  it('faults the provisioned-concurrency calls at the port boundary like every other call', async () => {
    const world = createWorld();
    const injector = new FaultInjector([
      {
        step: 'Activate',
        port: 'functions',
        method: 'putProvisionedConcurrency',
        occurrence: 1,
        kind: 'transient',
      },
    ]);
    const { functions } = injector.depsFor(world.deps)('Activate');

    await expect(functions.putProvisionedConcurrency(FN, '1', 1)).rejects.toMatchObject({
      name: 'TransientError',
    });
    await functions.putProvisionedConcurrency(FN, '1', 1);
    await functions.getProvisionedConcurrency(FN, '1');
    await functions.deleteProvisionedConcurrency(FN, '1');

    expect(injector.fired).toHaveLength(1);
    expect(injector.calls.map((c) => `${c.method}#${c.occurrence}`)).toEqual([
      'putProvisionedConcurrency#1',
      'putProvisionedConcurrency#2',
      'getProvisionedConcurrency#1',
      'deleteProvisionedConcurrency#1',
    ]);
  });
});

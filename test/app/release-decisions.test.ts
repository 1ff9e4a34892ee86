/** Approve and abort: who may decide, when, and what reaches the workflow's waits. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../services/app/caller.ts';
import { abortDeployment, approveDeployment } from '../../services/app/release-decisions.ts';
import type { Deployment } from '../../services/core/deployment.ts';
import { silentLogger } from '../../services/core/logger.ts';
import type { ReleaseHold } from '../../services/core/ports.ts';
import { parseFunctionSettings } from '../../services/core/settings.ts';
import { aDeployment } from '../fakes/deployments.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { MemoryStore } from '../fakes/memory-store.ts';
import { RecordingCallbacks } from '../fakes/recording-callbacks.ts';

const ID = 'd-01JDQ4Z9X8M2N3P4Q5R6S7T8V9';
const alice: Caller = { principal: 'token:payments:alice', team: 'payments', admin: false };
const bob: Caller = { principal: 'token:payments:bob', team: 'payments', admin: false };
const stranger: Caller = { principal: 'token:search:eve', team: 'search', admin: false };
const admin: Caller = { principal: 'token:platform:root', team: 'platform', admin: true };

const traffic = (phase: NonNullable<Deployment['traffic']>['phase']) =>
  ({
    strategy: { strategy: 'canary', percent: 10, intervalSeconds: 300 },
    steps: [
      { weight: 0.1, holdSeconds: 300 },
      { weight: 1, holdSeconds: 0 },
    ],
    step: 0,
    weight: 0.1,
    phase,
    extensions: 0,
    judgements: [],
    preexistingAlarms: [],
  }) satisfies Deployment['traffic'];

let store: MemoryStore;
let callbacks: RecordingCallbacks;
let deps: Parameters<typeof abortDeployment>[0];
const clock = new ManualClock();

const hold = (kind: ReleaseHold['kind'], token = `token-${kind}`): ReleaseHold => ({
  deploymentId: ID,
  kind,
  token,
  since: '2026-11-28T12:00:00.000Z',
  // Far after the manual clock: the hold is open.
  expiresAt: Math.floor(Date.parse('2030-01-01T00:00:00Z') / 1000),
});

beforeEach(async () => {
  store = new MemoryStore({ clock });
  callbacks = new RecordingCallbacks();
  deps = { store, callbacks, clock, logger: silentLogger };
  await store.putSettings('orders', parseFunctionSettings({ team: 'payments' }));
  await store.create(
    aDeployment({ id: ID, status: 'RUNNING', team: 'payments', traffic: traffic('holding') }),
  );
});

describe('Use case: abortDeployment', () => {
  it('records the abort first, then resumes the step hold with it', async () => {
    await store.putHold(hold('step'));
    const answered = await abortDeployment(deps, alice, ID);
    expect(answered.abort).toEqual({ by: alice.principal, at: expect.any(String) });
    expect((await store.get(ID))?.abort?.by).toBe(alice.principal);
    expect(callbacks.resumed).toEqual([
      { token: 'token-step', decision: { action: 'abort', by: alice.principal } },
    ]);
  });

  it('records the abort when no wait is open (the next hold ends itself on seeing it)', async () => {
    await abortDeployment(deps, alice, ID);
    expect((await store.get(ID))?.abort?.by).toBe(alice.principal);
    expect(callbacks.resumed).toEqual([]);
  });

  it('answers a repeat abort with the same deployment, keeping the first author, and resumes again', async () => {
    await abortDeployment(deps, alice, ID);
    // A hold that began between the two (the worker had not yet seen the abort).
    await store.putHold(hold('approval'));
    const again = await abortDeployment(deps, bob, ID);
    expect(again.abort?.by).toBe(alice.principal);
    expect(callbacks.resumed).toEqual([
      { token: 'token-approval', decision: { action: 'abort', by: alice.principal } },
    ]);
  });

  it('retries the resume on a repeat after the first resume failed', async () => {
    await store.putHold(hold('step'));
    callbacks.failNext = Object.assign(new Error('throttled'), { name: 'TransientError' });
    await expect(abortDeployment(deps, alice, ID)).rejects.toMatchObject({
      name: 'TransientError',
    });
    expect((await store.get(ID))?.abort).toBeDefined();
    await abortDeployment(deps, alice, ID);
    expect(callbacks.resumed).toHaveLength(1);
  });

  it('answers a repeat abort of a deployment that has since rolled back, resuming nothing', async () => {
    await abortDeployment(deps, alice, ID);
    await store.update(ID, { status: 'ROLLED_BACK' });
    await store.putHold(hold('step'));
    await expect(abortDeployment(deps, bob, ID)).resolves.toMatchObject({
      status: 'ROLLED_BACK',
      abort: { by: alice.principal },
    });
    expect(callbacks.resumed).toEqual([]);
  });

  it.each([
    ['SUCCEEDED', /has ended \(SUCCEEDED\)/],
    ['PENDING', /has not started yet/],
  ] as const)(
    'refuses a %s deployment (not-running) and writes nothing',
    async (status, message) => {
      await store.update(ID, { status });
      await expect(abortDeployment(deps, alice, ID)).rejects.toMatchObject({
        name: 'ConflictError',
        kind: 'not-running',
        message: expect.stringMatching(message),
      });
      expect((await store.get(ID))?.abort).toBeUndefined();
    },
  );

  it('lets the admin team abort any deployment, and no other team', async () => {
    await expect(abortDeployment(deps, stranger, ID)).rejects.toMatchObject({
      name: 'AccessDeniedError',
    });
    expect((await store.get(ID))?.abort).toBeUndefined();
    await expect(abortDeployment(deps, admin, ID)).resolves.toMatchObject({
      abort: { by: admin.principal },
    });
  });

  it('answers NotFoundError for an unknown or malformed id', async () => {
    await expect(
      abortDeployment(deps, alice, 'd-01JDQ4Z9X8M2N3P4Q5R6S7T8VX'),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(abortDeployment(deps, alice, 'nope')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it('answers a deployment that ended between the read and the write as not-running', async () => {
    const racing: typeof store = Object.create(store);
    racing.update = async (id, patch, expect) => {
      await store.update(id, { status: 'SUCCEEDED' });
      return store.update(id, patch, expect);
    };
    await expect(abortDeployment({ ...deps, store: racing }, alice, ID)).rejects.toMatchObject({
      kind: 'not-running',
    });
  });
});

describe('Use case: approveDeployment', () => {
  beforeEach(() => store.update(ID, { traffic: traffic('awaiting-approval') }));

  it('records the approver, then resumes the approval hold with approve', async () => {
    await store.putHold(hold('approval'));
    const answered = await approveDeployment(deps, alice, ID);
    expect(answered.approval).toEqual({ by: alice.principal, at: expect.any(String) });
    expect(callbacks.resumed).toEqual([
      { token: 'token-approval', decision: { action: 'approve', by: alice.principal } },
    ]);
  });

  it('refuses when the deployment waits on a step, not an approval (not-awaiting-approval)', async () => {
    await store.update(ID, { traffic: traffic('holding') });
    await store.putHold(hold('step'));
    await expect(approveDeployment(deps, alice, ID)).rejects.toMatchObject({
      kind: 'not-awaiting-approval',
      message: expect.stringMatching(/holding at step 1\/2/),
    });
    expect(callbacks.resumed).toEqual([]);
    expect((await store.get(ID))?.approval).toBeUndefined();
  });

  it('refuses when no wait is open at all', async () => {
    await expect(approveDeployment(deps, alice, ID)).rejects.toMatchObject({
      kind: 'not-awaiting-approval',
    });
  });

  it('refuses an aborted deployment (already-aborted), naming who aborted', async () => {
    await store.putHold(hold('approval'));
    await abortDeployment(deps, bob, ID);
    await expect(approveDeployment(deps, alice, ID)).rejects.toMatchObject({
      kind: 'already-aborted',
      message: expect.stringContaining(bob.principal),
    });
  });

  it('refuses an ended deployment (not-running)', async () => {
    await store.update(ID, { status: 'ROLLED_BACK' });
    await expect(approveDeployment(deps, alice, ID)).rejects.toMatchObject({
      kind: 'not-running',
    });
  });

  it('puts the record back when the wait timed out before the resume reached it', async () => {
    await store.putHold(hold('approval'));
    callbacks.ended.add('token-approval');
    await expect(approveDeployment(deps, alice, ID)).rejects.toMatchObject({
      kind: 'not-awaiting-approval',
      message: expect.stringMatching(/timed out/),
    });
    expect((await store.get(ID))?.approval).toBeUndefined();
  });

  it('retries the resume on a repeat approve after the first resume failed', async () => {
    await store.putHold(hold('approval'));
    callbacks.failNext = Object.assign(new Error('throttled'), { name: 'TransientError' });
    await expect(approveDeployment(deps, alice, ID)).rejects.toMatchObject({
      name: 'TransientError',
    });
    await expect(approveDeployment(deps, bob, ID)).resolves.toMatchObject({
      approval: { by: alice.principal },
    });
    expect(callbacks.resumed).toEqual([
      { token: 'token-approval', decision: { action: 'approve', by: alice.principal } },
    ]);
  });

  it('answers a repeat approve with the same deployment, keeping the first approver', async () => {
    await store.putHold(hold('approval'));
    await approveDeployment(deps, alice, ID);
    await expect(approveDeployment(deps, bob, ID)).resolves.toMatchObject({
      approval: { by: alice.principal },
    });
    expect(callbacks.resumed).toHaveLength(1);
  });

  it('is authorized like a deploy: another team may not approve', async () => {
    await store.putHold(hold('approval'));
    await expect(approveDeployment(deps, stranger, ID)).rejects.toMatchObject({
      name: 'AccessDeniedError',
    });
    expect(callbacks.resumed).toEqual([]);
  });
});

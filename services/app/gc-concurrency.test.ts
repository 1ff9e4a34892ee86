/**
 * gc racing a deployment that resolves and promotes a digest gc has planned to remove: at every
 * point the two can interleave, the deployment's digest survives and the deployment succeeds.
 * The deployment is the real createDeployment (its lock) with its workflow's steps scripted on
 * the same in-memory registry and function host gc reads.
 */
import { describe, expect, it } from 'vitest';
import { gcAppWorld } from '../../test/support/gc-app-world.ts';
import { digest, hexOf, NOW, uriOf, version } from '../../test/support/gc-fixtures.ts';
import { silentLogger } from '../core/logger.ts';
import { releaseTag } from '../core/workflow.ts';
import { collectGarbage, type GcDeps } from './collect-garbage.ts';
import { createDeployment } from './create-deployment.ts';
import type { AppDeps } from './deps.ts';

type World = Awaited<ReturnType<typeof gcAppWorld>>;
const ROLLBACK_TO = 2;
const STEPS = ['create', 'resolve', 'promote', 'activate'] as const;

/** A deployment of image `n`, one step per call; the workflow's steps as Ferry's do them. */
function deployment(w: World, n: number) {
  const app: AppDeps = {
    store: w.store,
    workflow: { start: async () => {} },
    callbacks: { resume: async () => false },
    clock: w.deps.clock,
    logger: silentLogger,
    newId: () => 'd-08',
    config: { adminTeam: 'platform', lockTtlSeconds: 600 },
  };
  const caller = { principal: 'token:payments:x', team: 'payments', admin: false };
  const image = () => w.images.images.get('team/app')?.find((i) => i.digest === digest(n));
  let failed: string | null = null;
  const steps: Record<(typeof STEPS)[number], () => Promise<void>> = {
    create: async () => {
      await createDeployment(
        app,
        caller,
        { functionName: 'orders', image: uriOf(n) },
        { kind: 'rollback' },
      );
      await w.store.update('d-08', { status: 'RUNNING' });
    },
    resolve: async () => {
      if (!image()) failed = `image ${n} is gone`;
    },
    promote: async () => {
      const found = image();
      if (!found) failed = `image ${n} is gone`;
      else (found.tags as string[]).push(releaseTag('d-08'));
    },
    activate: async () => {
      if (failed) {
        await w.store.update('d-08', { status: 'FAILED', reason: failed });
      } else {
        const state = await w.functions.readState('orders');
        w.functions.set('orders', {
          ...state,
          latest: { resolvedImageUri: uriOf(n), codeSha256: hexOf(n) },
          versions: [...state.versions, version(7, n, { lastModified: NOW })],
          aliases: [{ name: 'live', routing: { version: '7', additional: null } }],
        });
        await w.store.update('d-08', {
          status: 'SUCCEEDED',
          release: { version: '7', digest: digest(n), imageUri: uriOf(n), repository: 'team/app' },
        });
      }
      await w.store.releaseLock('orders', 'd-08');
    },
  };
  return steps;
}

/** A world in which gc plans versions 1..3 and, once they are gone, images 1..3. */
async function ready() {
  const w = await gcAppWorld();
  const plan = await collectGarbage(w.deps, { dryRun: true });
  expect(plan.images.map((i) => i.digest)).toContain(digest(ROLLBACK_TO));
  return w;
}

/** gc's deps with `pause` run once between its plan and its first lock. */
function pausedAfterPlan(w: World, pause: () => Promise<void>): GcDeps {
  let paused = false;
  return {
    ...w.deps,
    store: Object.assign(Object.create(w.store), {
      acquireLock: async (...args: Parameters<World['store']['acquireLock']>) => {
        if (!paused) {
          paused = true;
          await pause();
        }
        return w.store.acquireLock(...args);
      },
    }),
  };
}

async function expectDeployed(w: World) {
  expect(w.images.deleted.map((d) => d.digest)).not.toContain(digest(ROLLBACK_TO));
  expect((await w.store.get('d-08'))?.status).toBe('SUCCEEDED');
  expect(await w.store.getLock('orders')).toBeNull();
}

describe('gc racing a deployment', () => {
  it.each(STEPS.slice(1).map((_, i) => i + 1))(
    'keeps the digest when gc runs after %i of the deployment’s steps',
    async (done) => {
      const w = await ready();
      const steps = deployment(w, ROLLBACK_TO);
      for (const step of STEPS.slice(0, done)) await steps[step]();
      const report = await collectGarbage(w.deps);
      for (const step of STEPS.slice(done)) await steps[step]();
      await expectDeployed(w);
      // The deployment held the lock: gc left every image for a later run.
      expect(report.skipped.map((s) => s.functionName)).toEqual(['orders']);
    },
  );

  it.each(STEPS.map((_, i) => i + 1))(
    'keeps the digest when %i of the deployment’s steps run between gc’s plan and its locks',
    async (done) => {
      const w = await ready();
      const steps = deployment(w, ROLLBACK_TO);
      const gc = collectGarbage(
        pausedAfterPlan(w, async () => {
          for (const step of STEPS.slice(0, done)) await steps[step]();
        }),
      );
      await gc;
      for (const step of STEPS.slice(done)) await steps[step]();
      await expectDeployed(w);
    },
  );

  it('lets a deployment requested while gc deletes wait for the lock, then succeed', async () => {
    const w = await ready();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let deleting: () => void = () => {};
    const inDelete = new Promise<void>((r) => {
      deleting = r;
    });
    const slow: GcDeps = {
      ...w.deps,
      images: {
        listImages: (repository) => w.images.listImages(repository),
        deleteImage: async (repository, d) => {
          deleting();
          await gate;
          return w.images.deleteImage(repository, d);
        },
      },
    };
    const gc = collectGarbage(slow);
    await inDelete;
    // Image 4 is within the last three releases: gc keeps it.
    const steps = deployment(w, 4);
    const created = steps.create();
    release();
    await created;
    for (const step of STEPS.slice(1)) await steps[step]();
    const report = await gc;
    expect(report.images.map((i) => i.outcome)).toEqual(['deleted', 'deleted', 'deleted']);
    expect((await w.store.get('d-08'))?.status).toBe('SUCCEEDED');
  });
});

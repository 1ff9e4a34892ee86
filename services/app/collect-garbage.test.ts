import { describe, expect, it } from 'vitest';
import type { MemoryStore } from '../../test/fakes/memory-store.ts';
import { gcAppWorld, RELEASES } from '../../test/support/gc-app-world.ts';
import { digest, hexOf, NOW, releaseOf, uriOf } from '../../test/support/gc-fixtures.ts';
import { InvalidRequestError } from '../core/errors.ts';
import { parseFunctionSettings } from '../core/settings.ts';
import { collectGarbage, type GcDeps } from './collect-garbage.ts';
import { rollbackTarget } from './rollback.ts';

const versionsOf = (report: { versions: readonly { version: string; outcome?: string }[] }) =>
  report.versions.map((v) => `${v.version}:${v.outcome ?? 'planned'}`);
const imagesOf = (report: { images: readonly { digest: string; outcome?: string }[] }) =>
  report.images.map((i) => `${Number.parseInt(i.digest.slice(7), 16)}:${i.outcome ?? 'planned'}`);

describe('collectGarbage', () => {
  it('plans on a dry run without a delete call, a lock or a record change', async () => {
    const w = await gcAppWorld();
    const before = JSON.stringify([...w.store.deployments.values()]);
    const report = await collectGarbage(w.deps, { dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(versionsOf(report)).toEqual(['1:planned', '2:planned', '3:planned']);
    // Versions 1..3 run images 1..3: once they are gone, so are the images (a second pass).
    expect(imagesOf(report)).toEqual(['1:planned', '2:planned', '3:planned']);
    expect(report.bytesReclaimed).toBe(100 + 200 + 300);
    expect(report.kept.images).toBe(RELEASES - 3);
    expect(report.kept.byRule['published-version']).toBe(RELEASES - 3);
    expect(w.images.deleted).toEqual([]);
    expect(w.functions.deleted).toEqual([]);
    expect(w.store.locks.size).toBe(0);
    expect(JSON.stringify([...w.store.deployments.values()])).toBe(before);
    expect(w.reclaims()).toBe(0);
  });

  it('deletes versions, then in a second pass their images, marking the history', async () => {
    const w = await gcAppWorld();
    const planned = await collectGarbage(w.deps, { dryRun: true });
    const run = await collectGarbage(w.deps);
    expect(versionsOf(run)).toEqual(['1:deleted', '2:deleted', '3:deleted']);
    expect(imagesOf(run)).toEqual(['1:deleted', '2:deleted', '3:deleted']);
    // The dry run listed exactly what the run removed.
    expect(imagesOf(planned).map((i) => i.replace('planned', 'deleted'))).toEqual(imagesOf(run));
    expect(run.images[0]).toMatchObject({ repository: 'team/app', digest: digest(1) });
    expect(run.bytesReclaimed).toBe(100 + 200 + 300);
    expect(run.diskBytesReclaimed).toBe(4242);
    expect(w.reclaims()).toBe(1);
    const d1 = await w.store.get('d-01');
    expect(d1?.versionCollectedAt).toBe(NOW);
    expect(d1?.imageCollectedAt).toBe(NOW);
    expect((await w.store.get('d-03'))?.imageCollectedAt).toBe(NOW);
    expect((await w.store.get('d-04'))?.versionCollectedAt).toBeUndefined();
    expect((await w.store.get('d-04'))?.imageCollectedAt).toBeUndefined();
    expect(w.store.locks.size).toBe(0);

    const again = await collectGarbage(w.deps);
    expect(again.versions).toEqual([]);
    expect(again.images).toEqual([]);
  });

  it('keeps the image of a version the host refused to delete, and reports it once', async () => {
    const w = await gcAppWorld();
    const deleteVersion = w.functions.deleteVersion.bind(w.functions);
    w.functions.deleteVersion = async (name, version) =>
      version === '2' ? 'kept' : deleteVersion(name, version);
    const run = await collectGarbage(w.deps);
    expect(versionsOf(run)).toEqual(['1:deleted', '2:kept', '3:deleted']);
    expect(imagesOf(run)).toEqual(['1:deleted', '3:deleted']);
    expect(w.images.deleted.map((i) => i.digest)).not.toContain(digest(2));
  });

  it('archives instead of deleting when asked, and the history says the image can come back', async () => {
    const w = await gcAppWorld();
    const run = await collectGarbage(w.deps, { policy: { imageRemoval: 'archive' } });
    expect(imagesOf(run)).toEqual(['1:archived', '2:archived', '3:archived']);
    expect(w.images.deleted).toEqual([]);
    expect(w.images.archived.map((i) => i.digest)).toEqual([digest(1), digest(2), digest(3)]);
    const d1 = await w.store.get('d-01');
    expect(d1).toMatchObject({ imageCollectedAt: NOW, imageArchived: true });
    await expect(rollbackTarget(w.store, 'orders', 'd-01')).rejects.toThrow(
      /archived by ferry gc at .*: restore it first \(aws ecr update-image-storage-class --repository-name team\/app/,
    );
  });

  it('refuses to archive on a registry without an archive tier, before reading anything', async () => {
    const w = await gcAppWorld();
    const deps: GcDeps = {
      ...w.deps,
      images: {
        listImages: (repository) => w.images.listImages(repository),
        deleteImage: (repository, d) => w.images.deleteImage(repository, d),
      },
    };
    const calls = w.images.calls;
    await expect(collectGarbage(deps, { policy: { imageRemoval: 'archive' } })).rejects.toThrow(
      /no archive tier/,
    );
    expect(w.images.calls).toBe(calls);
    expect(w.functions.deleted).toEqual([]);
  });

  it("keeps as many releases as the function's settings say", async () => {
    const w = await gcAppWorld();
    await w.store.putSettings(
      'orders',
      parseFunctionSettings({ team: 'payments', rollbackDepth: 5 }),
    );
    const report = await collectGarbage(w.deps, { dryRun: true });
    expect(versionsOf(report)).toEqual(['1:planned']);
    expect(report.policy.functionRollbackDepths).toEqual({ orders: 5 });
  });

  it('skips a function whose lock a deployment holds, and removes nothing of it', async () => {
    const w = await gcAppWorld();
    await w.store.acquireLock('orders', 'd-07', Date.parse(NOW) / 1000, 600);
    const report = await collectGarbage(w.deps);
    expect(report.skipped).toEqual([
      { functionName: 'orders', reason: expect.stringContaining('busy') },
    ]);
    expect(report.versions).toEqual([]);
    expect(w.functions.deleted).toEqual([]);
    expect((await w.store.getLock('orders'))?.owner).toBe('d-07');
  });

  it('goes on beside a gradual release holding its step, and never releases its lock', async () => {
    const w = await gcAppWorld();
    const holding = releaseOf('d-07', 6, '6', {
      status: 'RUNNING',
      createdAt: NOW,
      traffic: {
        strategy: { strategy: 'canary', percent: 25, intervalSeconds: 600 },
        steps: [{ weight: 0.25, holdSeconds: 600 }],
        step: 0,
        weight: 0.25,
        phase: 'holding',
        extensions: 0,
        judgements: [],
        preexistingAlarms: [],
      },
    });
    await w.store.create(holding);
    await w.store.acquireLock('orders', 'd-07', Date.parse(NOW) / 1000, 600);
    const report = await collectGarbage(w.deps);
    expect(report.skipped).toEqual([]);
    expect(versionsOf(report)).toEqual(['1:deleted', '2:deleted', '3:deleted']);
    expect((await w.store.getLock('orders'))?.owner).toBe('d-07');
  });

  it('keeps what a deployment created between the plan and the locks may need', async () => {
    const w = await gcAppWorld();
    const store = w.store;
    let raced = false;
    const racing: GcDeps = {
      ...w.deps,
      store: Object.assign(Object.create(store), {
        acquireLock: async (...args: Parameters<MemoryStore['acquireLock']>) => {
          if (!raced) {
            raced = true;
            // A rollback to release 1 is recorded just before gc takes the lock.
            await store.create(releaseOf('d-08', 1, null, { status: 'PENDING', createdAt: NOW }));
          }
          return store.acquireLock(...args);
        },
      }),
    };
    const report = await collectGarbage(racing);
    expect(report.versions).toEqual([]);
    expect(report.stopped.join('\n')).toContain('has deployment d-08 since the plan');
    expect(w.functions.deleted).toEqual([]);
  });

  it('keeps an image that $LATEST was pointed at by hand between the plan and the locks', async () => {
    const w = await gcAppWorld();
    const store = w.store;
    let raced = false;
    const racing: GcDeps = {
      ...w.deps,
      store: Object.assign(Object.create(store), {
        acquireLock: async (...args: Parameters<MemoryStore['acquireLock']>) => {
          // Between the second pass's plan (the images of versions 1..3) and its locks.
          if (!raced && w.functions.deleted.length > 0) {
            raced = true;
            const state = await w.functions.readState('orders');
            w.functions.set('orders', {
              ...state,
              latest: { resolvedImageUri: uriOf(2), codeSha256: hexOf(2) },
            });
          }
          return store.acquireLock(...args);
        },
      }),
    };
    const report = await collectGarbage(racing);
    expect(imagesOf(report)).toEqual(['1:deleted', '3:deleted']);
    expect(report.stopped).toEqual([
      `image team/app@${digest(2)} kept: the re-read state keeps it`,
    ]);
  });

  it('reports honestly and releases the lock when a delete fails midway', async () => {
    const w = await gcAppWorld();
    const inner = w.functions;
    let calls = 0;
    const failing: GcDeps = {
      ...w.deps,
      functions: {
        readState: (name) => inner.readState(name),
        deleteVersion: async (name, v) => {
          calls += 1;
          if (calls === 2) throw new Error('Lambda said no');
          return inner.deleteVersion(name, v);
        },
      },
    };
    const report = await collectGarbage(failing);
    expect(versionsOf(report)).toEqual(['1:deleted']);
    expect(report.failure).toBe('Lambda said no');
    expect((await w.store.get('d-01'))?.versionCollectedAt).toBe(NOW);
    expect((await w.store.get('d-02'))?.versionCollectedAt).toBeUndefined();
    expect(w.store.locks.size).toBe(0);
  });

  it('refuses a policy below the minimum-age floor before reading anything', async () => {
    const w = await gcAppWorld();
    await expect(
      collectGarbage(w.deps, { policy: { minimumAgeSeconds: 60 } }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
    expect(w.functions.calls).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { FakeFunctionInventory, FakeImageInventory } from '../../test/fakes/fake-inventory.ts';
import { ManualClock } from '../../test/fakes/manual-clock.ts';
import { MemoryStore } from '../../test/fakes/memory-store.ts';
import {
  digest,
  hexOf,
  image,
  NOW,
  releaseOf,
  uriOf,
  version,
} from '../../test/support/gc-fixtures.ts';
import { InvalidRequestError } from '../core/errors.ts';
import { silentLogger } from '../core/logger.ts';
import { parseFunctionSettings } from '../core/settings.ts';
import { releaseTag } from '../core/workflow.ts';
import { collectGarbage, type GcDeps } from './collect-garbage.ts';

const RELEASES = 6;
const ids = Array.from({ length: RELEASES }, (_, i) => `d-${String(i + 1).padStart(2, '0')}`);

/** `orders` released images 1..6 as versions 1..6 (a day apart); `live` → 6; K = 3. */
async function world() {
  const store = new MemoryStore();
  await store.putSettings('orders', parseFunctionSettings({ team: 'payments' }));
  const images = new FakeImageInventory();
  const functions = new FakeFunctionInventory();
  for (let n = 1; n <= RELEASES; n++) {
    const at = `2026-05-0${n}T00:00:00.000Z`;
    await store.create(
      releaseOf(ids[n - 1] as string, n, String(n), { createdAt: at, updatedAt: at }),
    );
    images.add(image(n, [releaseTag(ids[n - 1] as string)]));
  }
  functions.set('orders', {
    latest: { resolvedImageUri: uriOf(RELEASES), codeSha256: hexOf(RELEASES) },
    versions: Array.from({ length: RELEASES }, (_, i) => version(i + 1, i + 1)),
    aliases: [{ name: 'live', routing: { version: String(RELEASES), additional: null } }],
    provisionedQualifiers: [],
  });
  let reclaims = 0;
  const deps: GcDeps = {
    store,
    images,
    functions,
    clock: new ManualClock(Date.parse(NOW), 0),
    logger: silentLogger,
    newId: () => 'run-1',
    lockTtlSeconds: 600,
    reclaimer: {
      reclaim: async () => {
        reclaims += 1;
        return { reclaimedBytes: 4242 };
      },
    },
  };
  return { store, images, functions, deps, reclaims: () => reclaims };
}

const versionsOf = (report: { versions: readonly { version: string; outcome?: string }[] }) =>
  report.versions.map((v) => `${v.version}:${v.outcome ?? 'planned'}`);
const imagesOf = (report: { images: readonly { digest: string; outcome?: string }[] }) =>
  report.images.map((i) => `${Number.parseInt(i.digest.slice(7), 16)}:${i.outcome ?? 'planned'}`);

describe('collectGarbage', () => {
  it('plans on a dry run without a delete call, a lock or a record change', async () => {
    const w = await world();
    const before = JSON.stringify([...w.store.deployments.values()]);
    const report = await collectGarbage(w.deps, { dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(versionsOf(report)).toEqual(['1:planned', '2:planned', '3:planned']);
    // Versions 1..3 still run images 1..3 in this snapshot: they go on a later run.
    expect(report.images).toEqual([]);
    expect(report.kept.images).toBe(RELEASES);
    expect(report.kept.byRule['published-version']).toBe(RELEASES);
    expect(w.images.deleted).toEqual([]);
    expect(w.functions.deleted).toEqual([]);
    expect(w.store.locks.size).toBe(0);
    expect(JSON.stringify([...w.store.deployments.values()])).toBe(before);
    expect(w.reclaims()).toBe(0);
  });

  it('deletes versions, then on the next run their images, marking the history each time', async () => {
    const w = await world();
    const first = await collectGarbage(w.deps);
    expect(versionsOf(first)).toEqual(['1:deleted', '2:deleted', '3:deleted']);
    expect(first.bytesReclaimed).toBe(0);
    expect(w.reclaims()).toBe(0);
    const d1 = await w.store.get('d-01');
    expect(d1?.versionCollectedAt).toBe(NOW);
    expect(d1?.imageCollectedAt).toBeUndefined();
    expect((await w.store.get('d-04'))?.versionCollectedAt).toBeUndefined();

    const second = await collectGarbage(w.deps);
    expect(imagesOf(second)).toEqual(['1:deleted', '2:deleted', '3:deleted']);
    expect(second.images[0]).toMatchObject({ repository: 'team/app', digest: digest(1) });
    expect(second.bytesReclaimed).toBe(100 + 200 + 300);
    expect(second.diskBytesReclaimed).toBe(4242);
    expect((await w.store.get('d-03'))?.imageCollectedAt).toBe(NOW);
    expect((await w.store.get('d-04'))?.imageCollectedAt).toBeUndefined();
    expect(w.store.locks.size).toBe(0);
  });

  it('skips a function whose lock a deployment holds, and removes nothing of it', async () => {
    const w = await world();
    await w.store.acquireLock('orders', 'd-07', Date.parse(NOW) / 1000, 600);
    const report = await collectGarbage(w.deps);
    expect(report.skipped).toEqual([
      { functionName: 'orders', reason: expect.stringContaining('busy') },
    ]);
    expect(report.versions).toEqual([]);
    expect(w.functions.deleted).toEqual([]);
    expect((await w.store.getLock('orders'))?.owner).toBe('d-07');
  });

  it('keeps what a deployment created between the plan and the locks may need', async () => {
    const w = await world();
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

  it('reports honestly and releases the lock when a delete fails midway', async () => {
    const w = await world();
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
    const w = await world();
    await expect(
      collectGarbage(w.deps, { policy: { minimumAgeSeconds: 60 } }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
    expect(w.functions.calls).toBe(0);
  });
});

/**
 * A small world for the gc use case's example tests: `orders` (team payments) released images
 * 1..6 as versions 1..6, a day apart in May, `live` → 6, over the in-memory store and inventories.
 */
import type { GcDeps } from '../../services/app/collect-garbage.ts';
import { silentLogger } from '../../services/core/logger.ts';
import { parseFunctionSettings } from '../../services/core/settings.ts';
import { releaseTag } from '../../services/core/workflow.ts';
import { FakeFunctionInventory, FakeImageInventory } from '../fakes/fake-inventory.ts';
import { ManualClock } from '../fakes/manual-clock.ts';
import { MemoryStore } from '../fakes/memory-store.ts';
import { hexOf, image, NOW, releaseOf, uriOf, version } from './gc-fixtures.ts';

export const RELEASES = 6;
export const ids = Array.from(
  { length: RELEASES },
  (_, i) => `d-${String(i + 1).padStart(2, '0')}`,
);

/** `orders` released images 1..6 as versions 1..6 (a day apart); `live` → 6; K = 3. */
export async function gcAppWorld() {
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

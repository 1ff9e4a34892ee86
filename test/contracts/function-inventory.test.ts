/**
 * The FunctionInventory contract against every implementation: the in-memory fake, and the
 * local adapter over a real function host (real images in a real registry).
 */
import { describe } from 'vitest';
import { LocalFunctionInventory } from '../../services/adapters/local/local-function-inventory.ts';
import { LocalFunctions } from '../../services/adapters/local/local-functions.ts';
import { parseImageRef } from '../../services/core/image-ref.ts';
import type { FunctionState } from '../../services/core/ports.ts';
import { FakeFunctionInventory } from '../fakes/fake-inventory.ts';
import { describeFunctionInventoryContract } from './function-inventory.contract.ts';
import { useLocalHost } from './local-host.ts';

let made = 0;
const freshName = () => `inventory-${++made}`;
const pinned = (c: string) => `registry.test/team/app@sha256:${c.repeat(64)}`;

describe('fake', () => {
  describeFunctionInventoryContract({
    name: 'fake',
    make: async () => {
      const inventory = new FakeFunctionInventory();
      const name = freshName();
      const images = [pinned('a'), pinned('b'), pinned('c')];
      const hex = (image: string) => parseImageRef(image).digest?.slice(7) ?? '';
      const version = (number: string, image: string) => ({
        version: number,
        codeSha256: hex(image),
        repository: 'team/app',
        lastModified: new Date().toISOString(),
      });
      const first = images[0] ?? '';
      inventory.set(name, {
        latest: { resolvedImageUri: first, codeSha256: hex(first) },
        versions: [version('$LATEST', first), version('1', first)],
        aliases: [{ name: 'live', routing: { version: '1', additional: null } }],
        provisionedQualifiers: [],
      });
      const update = (change: (state: FunctionState) => FunctionState) => {
        const state = inventory.functions.get(name);
        if (!state) throw new Error(`no function ${name}`);
        inventory.functions.set(name, change(state));
      };
      let next = 2;
      return {
        inventory,
        name,
        images,
        repository: 'team/app',
        publish: async (image) => {
          const number = String(next++);
          update((s) => ({
            ...s,
            latest: { resolvedImageUri: image, codeSha256: hex(image) },
            versions: [
              version('$LATEST', image),
              ...s.versions.filter((v) => v.version !== '$LATEST'),
              version(number, image),
            ],
          }));
          return number;
        },
        route: async (alias, routing) =>
          update((s) => ({
            ...s,
            aliases: [...s.aliases.filter((a) => a.name !== alias), { name: alias, routing }],
          })),
        provision: async (v) =>
          update((s) => ({ ...s, provisionedQualifiers: [...s.provisionedQualifiers, v] })),
      };
    },
  });
});

describe('local function host', () => {
  const local = useLocalHost(['good', 'twin', 'throws']);
  describeFunctionInventoryContract({
    name: 'local',
    make: async () => {
      const functions = new LocalFunctions(local.host);
      const name = freshName();
      const { good, twin, throws } = local.world.images;
      await functions.createFunction(name, good);
      return {
        inventory: new LocalFunctionInventory(local.host),
        name,
        images: [good, twin, throws],
        repository: parseImageRef(good).repository,
        publish: async (image) => {
          const { revisionId } = await functions.getFunction(name);
          await functions.updateCode(name, image, revisionId);
          const ready = await functions.waitUntilUpdated(name, 60);
          return (await functions.publishVersion(name, ready.codeSha256)).version;
        },
        route: (alias, routing) => functions.setAliasRouting(name, alias, routing),
        provision: async (version) => {
          await functions.putProvisionedConcurrency(name, version, 1);
        },
      };
    },
  });
});

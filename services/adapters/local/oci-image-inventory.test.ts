/**
 * The local image inventory on a registry that requires local mode's login: what the contract
 * (an anonymous registry) does not ask. A refused login must never read as an empty repository.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, type RegistryLogin } from '../../../local/registry-process.ts';
import {
  pushTinyImage,
  startTestRegistry,
  type TestRegistry,
} from '../../../test/support/registry.ts';
import { OciImageInventory } from './oci-image-inventory.ts';
import { OciRegistry } from './oci-registry.ts';

describe('Class: OciImageInventory', () => {
  const login: RegistryLogin = { username: 'ferry', password: 'inventory-secret' };
  let server: TestRegistry;
  beforeAll(async () => {
    server = await startTestRegistry({ auth: login });
  });
  afterAll(() => server?.stop());

  it('lists and deletes with the login', async () => {
    const { digest } = await pushTinyImage(server.url, 'team/app', 'v1', 'auth', login);
    const registry = new OciRegistry({ baseUrl: server.url, authorization: basicAuth(login) });
    const inventory = new OciImageInventory(registry);

    const [image] = await inventory.listImages('team/app');
    expect(image).toMatchObject({ repository: 'team/app', digest, tags: ['v1'] });
    // Without the storage directory the push time falls back to now: too young, never too old.
    expect(Date.now() - Date.parse(image?.pushedAt ?? '')).toBeLessThan(60_000);
    await expect(inventory.deleteImage('team/app', digest)).resolves.toBe('deleted');
    await expect(inventory.listImages('team/app')).resolves.toEqual([]);
  });

  it('throws AccessDeniedError without the login, instead of listing nothing', async () => {
    await pushTinyImage(server.url, 'team/shut', 'v1', 'shut', login);
    const inventory = new OciImageInventory(new OciRegistry({ baseUrl: server.url }));
    await expect(inventory.listImages('team/shut')).rejects.toMatchObject({
      name: 'AccessDeniedError',
    });
  });
});

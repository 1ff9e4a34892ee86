import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDeployment } from '../../../test/fakes/deployments.ts';
import {
  createStoreTable,
  type RunningDynalite,
  startDynalite,
} from '../../../test/support/dynalite.ts';
import { parseFunctionSettings } from '../../core/settings.ts';
import { DynamoDeploymentStore } from './dynamo-store.ts';

let dynalite: RunningDynalite;
let store: DynamoDeploymentStore;

beforeAll(async () => {
  dynalite = await startDynalite();
  // A table of its own: the listing is table-wide, other tests' functions would show up.
  await createStoreTable(dynalite.client, 'ferry-functions-test');
  store = new DynamoDeploymentStore(dynalite.client, {
    tableName: 'ferry-functions-test',
    cursorSecret: 'test-cursor-secret',
  });
});

afterAll(async () => {
  await dynalite?.close();
});

describe('Class: DynamoDeploymentStore (registered functions)', () => {
  it('lists no functions in an empty table', async () => {
    await expect(store.listFunctions()).resolves.toEqual([]);
  });

  it('lists every registered function once, by name, with its latest settings', async () => {
    // Prepare
    const payments = parseFunctionSettings({ team: 'payments' });
    await store.putSettings('orders', payments);
    await store.putSettings('checkout', payments);
    await store.putSettings('search-api', parseFunctionSettings({ team: 'search' }));
    await store.putSettings('orders', { ...payments, sizeBudgetBytes: 1024 });
    // A deployment of an unregistered function shares the index but is no registration.
    await store.create(aDeployment({ id: 'd-functions-test-1', functionName: 'ghost' }));

    // Act
    const listed = await store.listFunctions();

    // Assess
    expect(listed.map((f) => f.name)).toEqual(['checkout', 'orders', 'search-api']);
    expect(listed.find((f) => f.name === 'orders')?.settings).toStrictEqual({
      ...payments,
      sizeBudgetBytes: 1024,
    });
    expect(listed.find((f) => f.name === 'search-api')?.settings.team).toBe('search');
  });

  it('keeps a registered function out of its own deployment history', async () => {
    await store.putSettings('billing', parseFunctionSettings({ team: 'payments' }));
    await expect(store.listByFunction('billing')).resolves.toEqual({ items: [] });
  });
});

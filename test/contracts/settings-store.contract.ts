/** The SettingsStore contract: settings by function, and the list of registered functions. */
import { describe, expect, it } from 'vitest';
import type { SettingsStore } from '../../services/core/ports.ts';
import { parseFunctionSettings } from '../../services/core/settings.ts';
import { freshSubject, type MakeSubject } from './subject.ts';

const payments = parseFunctionSettings({ team: 'payments' });

/** Settings with every field away from its default, nested ones included. */
const custom = parseFunctionSettings({
  team: 'search',
  alias: 'prod',
  smoke: { payload: { path: '/health', tags: [], empty: '' }, expectStatusCode: 200 },
  sizeBudgetBytes: 1024,
  maxGrowthRatio: null,
  coldStart: { maxInitGrowthRatio: 1.3, minInitDeltaMs: 40 },
  notifyChannel: 'deploys',
  allowedRepositories: ['team/search'],
});

/** Registers the SettingsStore contract for one implementation. */
export function describeSettingsStoreContract(
  implementation: string,
  make: MakeSubject<SettingsStore>,
): void {
  describe(`SettingsStore contract (${implementation})`, () => {
    const subject = freshSubject(make);
    const settings = () => subject().port;

    it('returns null for a function that is not registered', async () => {
      await expect(settings().getSettings('orders')).resolves.toBeNull();
    });

    it('returns stored settings exactly as given', async () => {
      await settings().putSettings('search-api', custom);
      await expect(settings().getSettings('search-api')).resolves.toStrictEqual(custom);
    });

    it('replaces settings stored again, an optional field left out included', async () => {
      await settings().putSettings('orders', custom);
      const changed = { ...payments, notifyChannel: undefined };
      await settings().putSettings('orders', changed);
      const got = await settings().getSettings('orders');
      expect(got).toStrictEqual(payments);
      expect(got).not.toHaveProperty('notifyChannel');
    });

    it('lists no functions when none is registered', async () => {
      await expect(settings().listFunctions()).resolves.toStrictEqual([]);
    });

    it('lists every registered function once, by name, with its latest settings', async () => {
      await settings().putSettings('orders', payments);
      await settings().putSettings('checkout', payments);
      await settings().putSettings('search-api', custom);
      await settings().putSettings('orders', custom);

      await expect(settings().listFunctions()).resolves.toStrictEqual([
        { name: 'checkout', settings: payments },
        { name: 'orders', settings: custom },
        { name: 'search-api', settings: custom },
      ]);
    });
  });
}

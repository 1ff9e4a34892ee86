/** The index page's data: the functions a caller may see, each with its live and latest deployment. */
import type { Caller } from '../api/auth/authenticator.ts';
import type { DeploymentStore } from '../core/ports.ts';
import type { FunctionRow } from './pages/functions-page.tsx';

/** How far back the live release is looked for (a page of history). */
const LOOKBACK = 20;

/** Visible functions (the caller's team's, or all for an admin) by name, with their releases. */
export async function functionRows(store: DeploymentStore, caller: Caller): Promise<FunctionRow[]> {
  const visible = (await store.listFunctions()).filter(
    (f) => caller.admin || f.settings.team === caller.team,
  );
  return Promise.all(
    visible.map(async ({ name, settings }) => {
      const { items } = await store.listByFunction(name, { limit: LOOKBACK });
      return {
        name,
        team: settings.team,
        alias: settings.alias,
        live: items.find((d) => d.status === 'SUCCEEDED'),
        latest: items[0],
      };
    }),
  );
}

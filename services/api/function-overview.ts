/**
 * What is live where: the functions a caller may see, each with the release its alias serves (as
 * far as Ferry released it) and its latest deployment. Serves `GET /v1/functions` and the web
 * page's index.
 */
import type { Deployment } from '../core/deployment.ts';
import type { DeploymentStore } from '../core/ports.ts';
import type { Caller } from './auth/authenticator.ts';

/** How far back the live release is looked for (a page of history). */
const LOOKBACK = 20;

/** One function's overview. */
export interface FunctionOverview {
  readonly name: string;
  readonly team: string;
  readonly alias: string;
  /** The newest SUCCEEDED deployment in the last {@link LOOKBACK}: what the alias serves. */
  readonly live?: Deployment | undefined;
  readonly latest?: Deployment | undefined;
}

/** Visible functions (the caller's team's, or all for an admin) by name, with their releases. */
export async function functionOverviews(
  store: DeploymentStore,
  caller: Caller,
): Promise<FunctionOverview[]> {
  const visible = (await store.listFunctions())
    .filter((f) => caller.admin || f.settings.team === caller.team)
    .sort((a, b) => a.name.localeCompare(b.name));
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

/**
 * What is live where: the functions a caller may see, each with the release its alias serves (as
 * far as Ferry released it) and its latest deployment. Serves `GET /v1/functions` and the web
 * page's index. Two reads per function whatever the length of its history: the live record and
 * the newest deployment.
 */
import type { Deployment } from '../core/deployment.ts';
import { type LiveRelease, liveOf } from '../core/live.ts';
import type { DeploymentStore } from '../core/ports.ts';
import type { Caller } from './caller.ts';

/** One function's overview. */
export interface FunctionOverview {
  readonly name: string;
  readonly team: string;
  readonly alias: string;
  /** What the alias serves: the release of the newest SUCCEEDED deployment. */
  readonly live: LiveRelease | null;
  readonly latest: Deployment | null;
}

/** Visible functions (the caller's team's, or all for an admin) by name, with their releases. */
export async function functionOverviews(
  store: Pick<DeploymentStore, 'listFunctions' | 'getLive' | 'listByFunction'>,
  caller: Caller,
): Promise<FunctionOverview[]> {
  const visible = (await store.listFunctions())
    .filter((f) => caller.admin || f.settings.team === caller.team)
    .sort((a, b) => a.name.localeCompare(b.name));
  return Promise.all(
    visible.map(async ({ name, settings }) => {
      const [live, newest] = await Promise.all([
        liveOf(store, name),
        store.listByFunction(name, { limit: 1 }),
      ]);
      return {
        name,
        team: settings.team,
        alias: settings.alias,
        live,
        latest: newest.items[0] ?? null,
      };
    }),
  );
}

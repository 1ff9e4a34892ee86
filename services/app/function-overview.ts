/**
 * What is live where: the functions a caller may see, each with the release its alias serves (as
 * far as Ferry released it) and its latest deployment. Serves `GET /v1/functions` and the web
 * page's index.
 */
import type { Deployment } from '../core/deployment.ts';
import type { DeploymentStore } from '../core/ports.ts';
import type { Caller } from './caller.ts';

/** History is read in pages of this many, newest first… */
const PAGE = 20;
/** …until a SUCCEEDED deployment turns up, at most this many pages back. */
const MAX_PAGES = 5;

/** One function's overview. */
export interface FunctionOverview {
  readonly name: string;
  readonly team: string;
  readonly alias: string;
  /** The newest SUCCEEDED deployment (of the last PAGE × MAX_PAGES): what the alias serves. */
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
      let page = await store.listByFunction(name, { limit: PAGE });
      const latest = page.items[0];
      let live = page.items.find((d) => d.status === 'SUCCEEDED');
      // A run of failed attempts must not hide what is still serving.
      for (let n = 1; !live && page.cursor && n < MAX_PAGES; n++) {
        page = await store.listByFunction(name, { limit: PAGE, cursor: page.cursor });
        live = page.items.find((d) => d.status === 'SUCCEEDED');
      }
      return { name, team: settings.team, alias: settings.alias, live, latest };
    }),
  );
}

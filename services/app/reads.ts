/**
 * Reading for a caller: a deployment, a history page, a function's settings. Every entry point
 * (API, web page, Slack) reads through these, so who may see what is decided once.
 */
import type { Deployment } from '../core/deployment.ts';
import { NotFoundError } from '../core/errors.ts';
import { isDeploymentId } from '../core/ids.ts';
import type { DeploymentPage, DeploymentStore } from '../core/ports.ts';
import type { FunctionSettings } from '../core/settings.ts';
import type { Caller } from './caller.ts';
import { requireOwner, requireRegistered } from './ownership.ts';

type Store = Pick<DeploymentStore, 'get' | 'getSettings' | 'listByFunction'>;

/**
 * The deployment, if the caller may see it: the function's current owner decides, the record's
 * team when the function is no longer registered. NotFoundError for an unknown or malformed id.
 */
export async function deploymentFor(store: Store, caller: Caller, id: string): Promise<Deployment> {
  const deployment = isDeploymentId(id) ? await store.get(id) : null;
  if (!deployment) throw new NotFoundError(`no deployment ${id}`);
  const settings = await store.getSettings(deployment.functionName);
  requireOwner(caller, deployment.functionName, settings?.team ?? deployment.team);
  return deployment;
}

/** A registered function's settings, if the caller's team owns it (or the caller is an admin). */
export async function settingsFor(
  store: Pick<Store, 'getSettings'>,
  caller: Caller,
  name: string,
): Promise<FunctionSettings> {
  const settings = requireRegistered(name, await store.getSettings(name));
  requireOwner(caller, name, settings.team);
  return settings;
}

/** A page of a function's history, newest first, with its settings; checked as {@link settingsFor}. */
export async function historyFor(
  store: Store,
  caller: Caller,
  name: string,
  page: { readonly limit?: number | undefined; readonly cursor?: string | undefined } = {},
): Promise<DeploymentPage & { settings: FunctionSettings }> {
  const settings = await settingsFor(store, caller, name);
  const found = await store.listByFunction(name, {
    ...(page.limit ? { limit: page.limit } : {}),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  });
  return { ...found, settings };
}

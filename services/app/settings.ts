import type { FunctionSettings } from '../core/settings.ts';
import type { Caller } from './caller.ts';
import type { AppDeps } from './deps.ts';
import { requireAdmin, requireOwner } from './ownership.ts';

/**
 * Registers a function or replaces its settings. Registering, and moving a function to another
 * team, is the admin team's; the owning team may change everything else.
 */
export async function putSettings(
  deps: Pick<AppDeps, 'store' | 'logger'>,
  caller: Caller,
  name: string,
  next: FunctionSettings,
): Promise<FunctionSettings> {
  const current = await deps.store.getSettings(name);
  if (!current) requireAdmin(caller, `registering function ${name}`);
  else {
    requireOwner(caller, name, current.team);
    if (next.team !== current.team) requireAdmin(caller, `moving ${name} to team ${next.team}`);
  }
  await deps.store.putSettings(name, next);
  deps.logger.info('settings stored', {
    functionName: name,
    team: next.team,
    by: caller.principal,
  });
  return next;
}

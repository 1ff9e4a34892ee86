/** Who may act on a function: the one home of Ferry's ownership rule. */
import { AccessDeniedError, NotFoundError } from '../core/errors.ts';
import type { FunctionSettings } from '../core/settings.ts';
import type { Caller } from './caller.ts';

/** The function's settings, or NotFoundError (`function-not-registered`) saying how to register it. */
export function requireRegistered(
  name: string,
  settings: FunctionSettings | null,
): FunctionSettings {
  if (settings) return settings;
  throw new NotFoundError(
    `function ${name} is not registered with Ferry: the admin team registers it with PUT /v1/functions/${name} (body: {"team": "<owning team>", ...settings})`,
    { kind: 'function-not-registered' },
  );
}

/** AccessDeniedError unless the caller's team owns the function or the caller is an admin. */
export function requireOwner(caller: Caller, name: string, owningTeam: string | undefined): void {
  if (caller.admin || (owningTeam !== undefined && caller.team === owningTeam)) return;
  throw new AccessDeniedError(
    `function ${name} belongs to team ${owningTeam ?? '(none)'}; ${caller.principal} acts for team ${caller.team}`,
  );
}

/** AccessDeniedError unless the caller is an admin. */
export function requireAdmin(caller: Caller, what: string): void {
  if (caller.admin) return;
  throw new AccessDeniedError(
    `${what} is for the admin team; ${caller.principal} acts for team ${caller.team}`,
  );
}

import type { FunctionSettings } from '../core/settings.ts';
import type { Caller } from './deps.ts';
import { ApiProblem } from './problem.ts';

/** The function's settings, or 404 saying how to register it. */
export function requireRegistered(
  name: string,
  settings: FunctionSettings | null,
): FunctionSettings {
  if (settings) return settings;
  throw new ApiProblem(
    404,
    'function-not-registered',
    `function ${name} is not registered with Ferry: the admin team registers it with PUT /v1/functions/${name} (body: {"team": "<owning team>", ...settings})`,
  );
}

/** 403 unless the caller's team owns the function or the caller is an admin. */
export function requireOwner(caller: Caller, name: string, owningTeam: string | undefined): void {
  if (caller.admin || (owningTeam !== undefined && caller.team === owningTeam)) return;
  throw new ApiProblem(
    403,
    'forbidden',
    `function ${name} belongs to team ${owningTeam ?? '(none)'}; ${caller.principal} acts for team ${caller.team}`,
  );
}

/** 403 unless the caller is an admin. */
export function requireAdmin(caller: Caller, what: string): void {
  if (caller.admin) return;
  throw new ApiProblem(
    403,
    'forbidden',
    `${what} is for the admin team; ${caller.principal} acts for team ${caller.team}`,
  );
}

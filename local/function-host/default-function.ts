/**
 * Which function the Runtime Interface Emulator's fixed path
 * (`POST /2015-03-31/functions/function/invocations`) invokes: a function actually named
 * `function`; else the configured default (`FERRY_DEFAULT_FUNCTION`); else the function most
 * recently created or updated.
 */
import type { LocalFunctionRecord } from './function-model.ts';

/** What the RIE path says when there is nothing to invoke. */
export const NO_FUNCTION_MESSAGE =
  'no function exists: the RIE path functions/function invokes a function named "function", else FERRY_DEFAULT_FUNCTION, else the function most recently created or updated; create one with `ferry local create-function`';

/** The function's name by the rule above; null when there is none. */
export function rieFunction(
  functions: readonly LocalFunctionRecord[],
  configured: string | undefined,
): string | null {
  if (functions.some((fn) => fn.name === 'function')) return 'function';
  if (configured) return configured;
  let newest: LocalFunctionRecord | null = null;
  for (const fn of functions) {
    // A record from before lastModified existed counts as oldest.
    if (!newest || (fn.lastModified ?? '') >= (newest.lastModified ?? '')) newest = fn;
  }
  return newest?.name ?? null;
}

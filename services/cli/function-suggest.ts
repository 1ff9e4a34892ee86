/**
 * A function name the API does not know: instead of the raw API path the API's detail points at,
 * the registered function nearest to the name (from `GET /v1/functions`) and the command to run.
 */
import type { FerryClient } from './client.ts';
import type { CommandOptions } from './commands.ts';
import { ProblemError } from './problem.ts';
import { closest } from './suggest.ts';

/** Where each command takes a function name, by positional index. */
const FUNCTION_AT: Readonly<Record<string, number>> = {
  deploy: 1,
  history: 1,
  rollback: 1,
  logs: 1,
  doctor: 1,
  functions: 2,
};

/** The function name the command was given, if it takes one. */
export function functionArgument(command: string, o: CommandOptions): string | undefined {
  const at = FUNCTION_AT[command];
  return at === undefined ? undefined : o.positionals[at];
}

const notRegistered = (error: unknown): error is ProblemError =>
  error instanceof ProblemError &&
  error.problem.status === 404 &&
  error.problem.type.endsWith(':function-not-registered');

/**
 * `error` with a detail that names the nearest registered function and what to run, when it is
 * the API's `function-not-registered` for `name`; any other error as it is. A failing list
 * (the caller may not list, the network) leaves the suggestion out, never the error.
 */
export async function suggestFunction(
  error: unknown,
  client: FerryClient,
  name: string | undefined,
): Promise<unknown> {
  if (!name || !notRegistered(error)) return error;
  const names = await client
    .request<{ items: { name: string }[] }>('GET', '/v1/functions')
    .then((page) => page.items.map((f) => f.name))
    .catch(() => []);
  const meant = closest(name, names);
  const fix = meant
    ? `did you mean ${meant}? (ferry functions lists the ones you can deploy)`
    : `ferry functions lists the ones you can deploy; the admin team registers ${name} with ferry functions put ${name} --file settings.json`;
  return new ProblemError(
    { ...error.problem, detail: `function ${name} is not registered with Ferry: ${fix}` },
    { cause: error },
  );
}

/**
 * `ferry doctor [<function>]`: what a first deployment needs, one line per check — `✓ check:
 * detail` or `✗ check: what is wrong: how to fix it` — exit 0 when all pass, 1 otherwise. The
 * API reachable at FERRY_URL and the caller's identity come first (GET /v1/whoami); the rest is
 * the API's own list (GET /v1/doctor), checked against the target and only rendered here.
 */
import { NOT_FERRY } from './client.ts';
import { type CommandContext, type CommandOptions, flag, print } from './commands.ts';
import { ProblemError } from './problem.ts';

/** Who the API takes the caller for. */
interface Whoami {
  readonly principal: string;
  readonly team: string;
  readonly admin: boolean;
}

/** One check as the API reports it. */
export interface DoctorCheckLine {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly fix?: string;
}

/** The line for one check: what passed, or what is wrong and how to fix it. */
export const checkLine = (c: DoctorCheckLine) =>
  c.ok ? `✓ ${c.check}: ${c.detail}` : `✗ ${c.check}: ${c.detail}: ${c.fix ?? 'see the detail'}`;

const isWhoami = (body: unknown): body is Whoami =>
  typeof body === 'object' &&
  body !== null &&
  typeof (body as Whoami).principal === 'string' &&
  typeof (body as Whoami).team === 'string';

/** `ferry doctor [<function>]` */
export async function doctor(ctx: CommandContext, o: CommandOptions): Promise<number> {
  const name = o.positionals[1];
  // An answer that is not JSON is the api check failing, not an error of the doctor.
  const me = await ctx.client.request<unknown>('GET', '/v1/whoami').catch((error: unknown) => {
    if (error instanceof ProblemError && error.problem.type === NOT_FERRY) return null;
    throw error;
  });
  const checks: DoctorCheckLine[] = [];
  if (!isWhoami(me)) {
    checks.push({
      check: 'api',
      ok: false,
      detail: 'FERRY_URL answers, but not as the Ferry API (GET /v1/whoami)',
      fix: "set FERRY_URL to the stack's ApiUrl output (AWS) or the URL `npm start` printed (local mode)",
    });
  } else {
    checks.push({ check: 'api', ok: true, detail: 'the Ferry API answers at FERRY_URL' });
    checks.push({
      check: 'identity',
      ok: true,
      detail: `${me.principal} acts for team ${me.team}${me.admin ? ' (admin)' : ''}`,
    });
    const query = name ? `?function=${encodeURIComponent(name)}` : '';
    const report = await ctx.client.request<{ checks: DoctorCheckLine[] }>(
      'GET',
      `/v1/doctor${query}`,
    );
    checks.push(...report.checks);
  }
  const ok = checks.every((c) => c.ok);
  print(
    ctx,
    flag(o, 'json')
      ? [JSON.stringify({ ...(name ? { function: name } : {}), ok, checks })]
      : checks.map(checkLine),
  );
  return ok ? 0 : 1;
}

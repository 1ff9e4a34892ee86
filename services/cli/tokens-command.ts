/** `ferry tokens create --team T | list | revoke <id>`: local mode's bearer tokens (admin team). */
import {
  type CommandContext,
  type CommandOptions,
  expectAction,
  flag,
  positional,
  print,
  str,
  UsageError,
} from './commands.ts';

const USAGE = 'ferry tokens create --team T | list | revoke <id>';

/** A token as the API lists it. */
interface TokenInfo {
  readonly id: string;
  readonly team: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** `ferry tokens [list] | create --team T | revoke <id>` */
export async function tokens(ctx: CommandContext, o: CommandOptions): Promise<number> {
  const action = o.positionals[1] ?? 'list';
  expectAction(action, ['create', 'list', 'revoke'], USAGE);
  if (action === 'list') {
    const { items } = await ctx.client.request<{ items: TokenInfo[] }>('GET', '/v1/tokens');
    if (flag(o, 'json')) print(ctx, [JSON.stringify(items)]);
    else if (items.length === 0) print(ctx, ['no tokens']);
    else print(ctx, tokenTable(items));
    return 0;
  }
  if (action === 'create') {
    const team = str(o, 'team');
    if (!team) throw new UsageError(`missing --team: ${USAGE}`);
    const made = await ctx.client.request<TokenInfo & { token: string }>('POST', '/v1/tokens', {
      body: { team },
    });
    if (flag(o, 'json')) print(ctx, [JSON.stringify(made)]);
    else
      print(ctx, [
        made.token,
        `# token ${made.id} of team ${made.team}: shown this once, keep it (FERRY_TOKEN=...); revoke it with ferry tokens revoke ${made.id}`,
      ]);
    return 0;
  }
  const id = positional(o, 2, `token id: ${USAGE} (ferry tokens list shows the ids)`);
  await ctx.client.request('DELETE', `/v1/tokens/${encodeURIComponent(id)}`);
  print(ctx, [`revoked token ${id}: it is refused from now on`]);
  return 0;
}

function tokenTable(items: readonly TokenInfo[]): string[] {
  const rows = [
    ['ID', 'TEAM', 'CREATED', 'BY'],
    ...items.map((t) => [t.id, t.team, t.createdAt.replace('T', ' ').slice(0, 19), t.createdBy]),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i] ?? 0) : c)).join('  '));
}

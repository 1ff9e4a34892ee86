/** `ferry approve <id>` and `ferry abort <id>`: a gradual release's decisions. */
import type { Deployment } from '../core/deployment.ts';
import {
  acceptedOrFollowed,
  type CommandContext,
  type CommandOptions,
  flag,
  positional,
  print,
} from './commands.ts';

/** What each decision answers on success. */
const SAID = {
  approve: (d: Deployment) =>
    `approved ${d.id}${d.approval ? ` (by ${d.approval.by})` : ''}: the rest of the traffic moves to the new version`,
  abort: (d: Deployment) =>
    d.status === 'RUNNING'
      ? `aborted ${d.id}${d.abort ? ` (by ${d.abort.by})` : ''}: it is rolling back`
      : `${d.id} was aborted${d.abort ? ` by ${d.abort.by}` : ''} and has ended ${d.status}`,
} as const;

/** Sends the decision; prints what it did, or follows the deployment to its end with --wait. */
async function decide(
  verb: 'approve' | 'abort',
  ctx: CommandContext,
  o: CommandOptions,
): Promise<number> {
  const id = positional(o, 1, `deployment id: ferry ${verb} <id>`);
  const d = await ctx.client.request<Deployment>(
    'POST',
    `/v1/deployments/${encodeURIComponent(id)}/${verb}`,
  );
  if (flag(o, 'wait')) return acceptedOrFollowed(ctx, o, { id: d.id, status: d.status });
  if (flag(o, 'json')) print(ctx, [JSON.stringify(d)]);
  else print(ctx, [SAID[verb](d), `follow it: ferry status ${d.id} --wait`]);
  return 0;
}

/** `ferry approve <id> [--wait]` */
export const approve = (ctx: CommandContext, o: CommandOptions) => decide('approve', ctx, o);

/** `ferry abort <id> [--wait]` */
export const abort = (ctx: CommandContext, o: CommandOptions) => decide('abort', ctx, o);

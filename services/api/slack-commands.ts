import * as answer from '../chatops/slack-messages.ts';
import { SLASH_HELP, type SlashCommand } from '../chatops/slash-command.ts';
import { parseImageRef } from '../core/image-ref.ts';
import { requireOwner, requireRegistered } from './authorize.ts';
import { createDeployment } from './create-deployment.ts';
import type { ApiDeps, Caller } from './deps.ts';
import { ApiProblem } from './problem.ts';
import { requestRollback } from './rollback-target.ts';

/** Slack keeps a `response_url` usable for 30 minutes. */
const REPLY_TTL_SECONDS = 30 * 60;
const HISTORY_ITEMS = 10;

/** Where a command came from in Slack. */
export interface SlackOrigin {
  /** The caller as the API sees them (team from the Slack user mapping). */
  readonly caller: Caller;
  /** The command's `response_url` when it is Slack's (checked by the route), else undefined. */
  readonly replyUrl: string | undefined;
}

/**
 * Runs a parsed `/ferry` command for a mapped Slack user with the API's authorization rules
 * (ApiProblems are thrown as from the API; the route turns them into ephemeral warnings). Deploy
 * and rollback record the `response_url` before the workflow starts, so the workers can post the
 * progress and the result to the conversation the command came from.
 */
export async function runSlashCommand(
  deps: ApiDeps,
  command: SlashCommand,
  { caller, replyUrl }: SlackOrigin,
): Promise<answer.SlackAnswer> {
  const linkFor = (id: string) => pageLink(deps, id);
  const rememberReply = replyUrl
    ? (id: string) =>
        deps.store.putReplyUrl(
          id,
          replyUrl,
          Math.floor(deps.clock.now().getTime() / 1000) + REPLY_TTL_SECONDS,
        )
    : undefined;
  switch (command.kind) {
    case 'help':
      return answer.help(SLASH_HELP);
    case 'invalid':
      return answer.help(SLASH_HELP, command.message);
    case 'status': {
      const d = await deps.store.get(command.id);
      if (!d) throw new ApiProblem(404, 'not-found', `no deployment ${command.id}`);
      const settings = await deps.store.getSettings(d.functionName);
      requireOwner(caller, d.functionName, settings?.team ?? d.team);
      return answer.status(d, linkFor(d.id));
    }
    case 'history': {
      const fn = command.functionName;
      const settings = requireRegistered(fn, await deps.store.getSettings(fn));
      requireOwner(caller, fn, settings.team);
      const page = await deps.store.listByFunction(fn, { limit: HISTORY_ITEMS });
      return answer.history(fn, page.items, linkFor);
    }
    case 'deploy': {
      try {
        parseImageRef(command.image);
      } catch (error) {
        throw new ApiProblem(400, 'validation', (error as Error).message);
      }
      const { deployment } = await createDeployment(
        deps,
        caller,
        {
          functionName: command.functionName,
          image: command.image,
          reason: `/ferry deploy by ${caller.principal}`,
        },
        { kind: 'slack', actor: caller.principal },
        undefined,
        rememberReply,
      );
      return answer.started(
        'deploy',
        deployment,
        command.image,
        linkFor(deployment.id),
        replyUrl !== undefined,
      );
    }
    case 'rollback': {
      const { deployment, target } = await requestRollback(deps, caller, command.functionName, {
        reason: `/ferry rollback by ${caller.principal}`,
        ...(rememberReply ? { beforeStart: rememberReply } : {}),
      });
      return answer.started(
        'rollback',
        deployment,
        target.release.digest,
        linkFor(deployment.id),
        replyUrl !== undefined,
      );
    }
  }
}

/** The deployment's web page when the API knows its public address. */
function pageLink(deps: ApiDeps, id: string): string | undefined {
  const base = deps.config.publicBaseUrl?.replace(/\/+$/, '');
  return base ? `${base}/deployments/${id}` : undefined;
}

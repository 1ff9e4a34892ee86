import type { Caller } from '../app/caller.ts';
import { createDeployment } from '../app/create-deployment.ts';
import type { AppDeps } from '../app/deps.ts';
import { deploymentFor, historyFor } from '../app/reads.ts';
import { abortDeployment, approveDeployment } from '../app/release-decisions.ts';
import { requestRollback } from '../app/rollback.ts';
import * as answer from './slack-messages.ts';
import { SLASH_HELP, type SlashCommand } from './slash-command.ts';

/** What slash commands need: the use cases' deps and where the web page is. */
export interface ChatopsDeps extends AppDeps {
  /** The API's public base URL, for links to deployment pages. @default - no links */
  readonly publicBaseUrl?: string | undefined;
}

/** Slack keeps a `response_url` usable for 30 minutes. */
const REPLY_TTL_SECONDS = 30 * 60;
const HISTORY_ITEMS = 10;

/** Where a command came from in Slack. */
export interface SlackOrigin {
  /** The caller the use cases see (team from the Slack user mapping). */
  readonly caller: Caller;
  /** The command's `response_url` when it is Slack's (checked by the route), else undefined. */
  readonly replyUrl: string | undefined;
}

/**
 * Runs a parsed `/ferry` command for a mapped Slack user through the same use cases as the API
 * (their named errors are thrown; the route turns them into ephemeral warnings). Deploy
 * and rollback record the `response_url` before the workflow starts, so the workers can post the
 * progress and the result to the conversation the command came from.
 */
export async function runSlashCommand(
  deps: ChatopsDeps,
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
      const d = await deploymentFor(deps.store, caller, command.id);
      return answer.status(d, linkFor(d.id));
    }
    case 'approve': {
      const d = await approveDeployment(deps, caller, command.id);
      return answer.decided('approve', d, linkFor(d.id));
    }
    case 'abort': {
      const d = await abortDeployment(deps, caller, command.id);
      return answer.decided('abort', d, linkFor(d.id));
    }
    case 'history': {
      const fn = command.functionName;
      const page = await historyFor(deps.store, caller, fn, { limit: HISTORY_ITEMS });
      return answer.history(fn, page.items, linkFor);
    }
    case 'deploy': {
      const { deployment } = await createDeployment(
        deps,
        caller,
        {
          functionName: command.functionName,
          image: command.image,
          reason: `/ferry deploy by ${caller.principal}`,
          ...(command.release ? { release: command.release } : {}),
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
function pageLink(deps: ChatopsDeps, id: string): string | undefined {
  const base = deps.publicBaseUrl?.replace(/\/+$/, '');
  return base ? `${base}/deployments/${id}` : undefined;
}

import type { Trigger } from '../core/deployment.ts';
import { describeError, isFerryError } from '../core/errors.ts';
import { rolloutKey, rolloutTargets } from '../core/rules.ts';
import type { Caller } from './caller.ts';
import { createDeployment } from './create-deployment.ts';
import type { AppDeps } from './deps.ts';

/** Errors that refuse one function's rollout for good (a redelivery would be refused again). */
const REFUSALS = ['InvalidRequestError', 'NotFoundError', 'AccessDeniedError'] as const;

/** A pushed image: where it is and what tag moved. */
export interface PushedImage {
  readonly repository: string;
  readonly tag: string | undefined;
  readonly digest: string;
  /** `registry/repository@digest`: what the rollout deploys. */
  readonly imageRef: string;
  readonly trigger: Trigger;
}

/** What happened for one function. */
export interface RolloutResult {
  readonly functionName: string;
  readonly outcome: 'started' | 'already-deployed' | 'busy' | 'refused';
  readonly deploymentId?: string;
  readonly detail?: string;
}

/**
 * Rolls a pushed image out to the functions its repository's rule names, exactly once per
 * (function, digest): the idempotency key is derived from both, so a duplicate or concurrent
 * event replays the same deployment. A function busy with another deployment is reported `busy`
 * so the event's sender retries later (registries and EventBridge both redeliver on failure).
 */
export async function rollOut(deps: AppDeps, image: PushedImage): Promise<RolloutResult[]> {
  const rule = deps.rules ? await deps.rules.getRule(image.repository) : null;
  const targets = rolloutTargets(rule, image.tag);
  // Rules are an admin's decision, so the rollout acts with the admin team's rights.
  const system: Caller = {
    principal: `${image.trigger.kind}:${image.trigger.eventId ?? 'event'}`,
    team: deps.config.adminTeam,
    admin: true,
  };
  const results: RolloutResult[] = [];
  for (const functionName of targets) {
    try {
      const { replayed, deployment } = await createDeployment(
        deps,
        system,
        { functionName, image: image.imageRef, reason: `${image.repository}:${image.tag} pushed` },
        image.trigger,
        rolloutKey(functionName, image.digest),
      );
      results.push({
        functionName,
        outcome: replayed ? 'already-deployed' : 'started',
        deploymentId: deployment.id,
      });
    } catch (error) {
      // Busy: another deployment holds the lock (or this push's own request is being recorded).
      const busy =
        isFerryError(error, 'ConflictError') &&
        (error.kind === 'function-locked' || error.kind === 'request-in-flight');
      const refused =
        REFUSALS.some((name) => isFerryError(error, name)) || isFerryError(error, 'ConflictError');
      if (!busy && !refused) throw error;
      results.push({
        functionName,
        outcome: busy ? 'busy' : 'refused',
        detail: describeError(error).message,
      });
    }
  }
  deps.logger.info('rollout', {
    repository: image.repository,
    tag: image.tag,
    digest: image.digest,
    results,
  });
  return results;
}

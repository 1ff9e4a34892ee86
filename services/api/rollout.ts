import type { Trigger } from '../core/deployment.ts';
import { rolloutKey, rolloutTargets } from '../core/rules.ts';
import { createDeployment } from './create-deployment.ts';
import type { ApiDeps, Caller } from './deps.ts';
import { ApiProblem } from './problem.ts';

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
export async function rollOut(deps: ApiDeps, image: PushedImage): Promise<RolloutResult[]> {
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
      const { status, deployment } = await createDeployment(
        deps,
        system,
        { functionName, image: image.imageRef, reason: `${image.repository}:${image.tag} pushed` },
        image.trigger,
        rolloutKey(functionName, image.digest),
      );
      results.push({
        functionName,
        outcome: status === 202 ? 'started' : 'already-deployed',
        deploymentId: deployment.id,
      });
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      results.push({
        functionName,
        outcome: error.status === 409 ? 'busy' : 'refused',
        detail: error.detail,
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
